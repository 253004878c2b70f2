namespace Kindling.Worker.Runtimes;

/// <summary>Where the runtime registry looks for interpreters and runtime interface clients.</summary>
public sealed record RuntimeRegistryOptions
{
    /// <summary>
    /// The directory holding one subdirectory per runtime family (<c>python/</c>, <c>nodejs/</c>, <c>dotnet/</c>), each
    /// with a <c>runtime.json</c>. Default: <c>lambda-runtimes/</c> beside the server's executable.
    /// </summary>
    public string RuntimesDirectory { get; init; } = Path.Combine(AppContext.BaseDirectory, "lambda-runtimes");

    /// <summary>
    /// Interpreters named by the operator, by Lambda identifier (<c>python3.12</c> → <c>/opt/python3.12/bin/python3.12</c>,
    /// <c>dotnet8</c> → a <c>dotnet</c> host); they replace what discovery finds for that identifier.
    /// </summary>
    public IReadOnlyDictionary<string, string> Interpreters { get; init; } = new Dictionary<string, string>();

    /// <summary>Directories searched for <c>python3.N</c> and <c>node</c>.</summary>
    public IReadOnlyList<string> SearchPaths { get; init; } = ["/usr/local/bin", "/usr/bin"];

    /// <summary>Installations of .NET searched for shared frameworks (besides <c>DOTNET_ROOT</c>).</summary>
    public IReadOnlyList<string> DotnetRoots { get; init; } = ["/usr/share/dotnet", "/usr/lib/dotnet", "/usr/local/share/dotnet", "/opt/dotnet"];

    /// <summary>
    /// Parses the <c>runtimes</c> setting: a JSON object (<c>{"python3.12": "/path"}</c>) or a comma-separated list
    /// of <c>identifier=path</c>. Throws <see cref="FormatException"/> naming the problem.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseInterpreters(string? value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(value))
        {
            return result;
        }

        if (value.TrimStart().StartsWith('{'))
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(value);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    result[property.Name] = property.Value.GetString() ?? throw new FormatException($"runtimes: \"{property.Name}\" must name a path.");
                }
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException)
            {
                throw new FormatException($"runtimes: {exception.Message}", exception);
            }

            return result;
        }

        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                throw new FormatException($"runtimes: \"{entry}\" is not identifier=path (e.g. python3.12=/opt/python3.12/bin/python3.12).");
            }

            result[entry[..equals]] = entry[(equals + 1)..];
        }

        return result;
    }
}
