using System.Globalization;

namespace Kindling.Worker.Runtimes;

/// <summary>
/// How one environment of a managed runtime starts: the manifest's command and variables with its placeholders
/// filled in. Placeholders: <c>{interpreter}</c>, <c>{interpreterDir}</c>, <c>{memoryMb}</c>, <c>{memoryBytes}</c>,
/// <c>{memoryBytesHex}</c> (no 0x), <c>{heapMb}</c> (90 % of the memory, for heap limits: runtimes cannot see the
/// sandbox's memory limit).
/// </summary>
internal sealed record RuntimeLaunch(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The pre-started process's command, placeholders filled in, if the runtime has one.</summary>
    public IReadOnlyList<string>? PrestartCommand { get; init; }

    /// <summary>The runtime's pre-start (its startup variables), if any.</summary>
    public RuntimePrestart? Prestart { get; init; }

    public static RuntimeLaunch Create(ManagedRuntime runtime, int memoryMb)
    {
        var bytes = memoryMb * 1024L * 1024L;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{interpreter}"] = runtime.Interpreter,
            ["{interpreterDir}"] = Path.GetDirectoryName(runtime.Interpreter)!,
            ["{memoryMb}"] = memoryMb.ToString(CultureInfo.InvariantCulture),
            ["{memoryBytes}"] = bytes.ToString(CultureInfo.InvariantCulture),
            ["{memoryBytesHex}"] = bytes.ToString("x", CultureInfo.InvariantCulture),
            ["{heapMb}"] = (memoryMb * 9 / 10).ToString(CultureInfo.InvariantCulture),
        };

        string Fill(string template)
        {
            if (!template.Contains('{', StringComparison.Ordinal))
            {
                return template;
            }

            foreach (var (name, value) in values)
            {
                template = template.Replace(name, value, StringComparison.Ordinal);
            }

            return template;
        }

        return new RuntimeLaunch(
            [.. runtime.Manifest.Command.Select(Fill)],
            runtime.Manifest.Environment.ToDictionary(v => v.Key, v => Fill(v.Value), StringComparer.Ordinal))
        {
            PrestartCommand = runtime.Manifest.Prestart is { } prestart ? [.. prestart.Command.Select(Fill)] : null,
            Prestart = runtime.Manifest.Prestart,
        };
    }
}
