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

            return new RuntimeManifest { Command = arguments, Environment = environment };
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }
}
