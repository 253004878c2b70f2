using System.Text.Json;

namespace Kindling.Worker.Runtimes;

/// <summary>
/// A managed runtime's <c>runtime.json</c>: the command that starts its runtime interface client and the variables
/// it needs. Strings may hold the placeholders of <see cref="RuntimeLaunch"/> (<c>{interpreter}</c>,
/// <c>{memoryMb}</c>…), filled in per environment.
/// </summary>
public sealed record RuntimeManifest
{
    /// <summary>The file name looked for in each runtime family's directory.</summary>
    public const string FileName = "runtime.json";

    /// <summary>The command and its arguments, e.g. <c>["{interpreter}", "/var/runtime/bootstrap.py"]</c>.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Variables added to the environment's (lambda-api.md §5); the function's own variables still win.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How the runtime can be pre-started (Kindling's pre-started sandboxes), if it can: a command that loads what
    /// it can before the function is known and then reads its variables from stdin (<c>SandboxPrestart</c>).
    /// </summary>
    public RuntimePrestart? Prestart { get; init; }

    /// <summary>Reads and checks a manifest; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static RuntimeManifest Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("command", out var command)
                || command.ValueKind != JsonValueKind.Array || command.GetArrayLength() == 0)
            {
                throw new InvalidDataException($"{path}: \"command\" must be a non-empty array of strings.");
            }

            var arguments = new List<string>();
            foreach (var item in command.EnumerateArray())
            {
                arguments.Add(item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : throw new InvalidDataException($"{path}: \"command\" must hold strings only."));
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("environment", out var variables))
            {
                if (variables.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{path}: \"environment\" must be an object of strings.");
                }

                foreach (var variable in variables.EnumerateObject())
                {
                    environment[variable.Name] = variable.Value.ValueKind == JsonValueKind.String
                        ? variable.Value.GetString()!
                        : throw new InvalidDataException($"{path}: \"environment.{variable.Name}\" must be a string.");
                }
            }

            RuntimePrestart? prestart = null;
            if (root.TryGetProperty("prestart", out var prestartElement))
            {
                prestart = new RuntimePrestart(
                    ReadStrings(path, prestartElement, "command"), ReadStrings(path, prestartElement, "startupVariables"));
                if (prestart.Command.Count == 0)
                {
                    throw new InvalidDataException($"{path}: \"prestart.command\" must be a non-empty array of strings.");
                }
            }

            return new RuntimeManifest { Command = arguments, Environment = environment, Prestart = prestart };
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }

    private static List<string> ReadStrings(string path, JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: \"prestart.{name}\" must be an array of strings.");
        }

        return array.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new InvalidDataException($"{path}: \"prestart.{name}\" must hold strings only."))
            .ToList();
    }
}

/// <summary>
/// A runtime's pre-start: the waiting process's command (with <see cref="RuntimeLaunch"/>'s placeholders) and the
/// variables that matter when it starts — names, or prefixes ending in <c>*</c>. A function whose environment
/// sets them differently gets a waiting process started with its values.
/// </summary>
public sealed record RuntimePrestart(IReadOnlyList<string> Command, IReadOnlyList<string> StartupVariables)
{
    /// <summary>Whether <paramref name="name"/> is one of <see cref="StartupVariables"/>.</summary>
    public bool IsStartupVariable(string name) => StartupVariables.Any(pattern => pattern.EndsWith('*')
        ? name.StartsWith(pattern[..^1], StringComparison.Ordinal)
        : name == pattern);
}
