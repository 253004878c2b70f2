using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Kindling.Bench;

/// <summary>What a result was measured on: the host, the commit and the tools, recorded with every result.</summary>
internal sealed record MachineInfo(
    int Cores, string CpuModel, long MemoryBytesTotal, string Kernel, string GitCommit, bool GitDirty, string DotnetRuntime, string? NodeVersion, double LoadAverage1m)
{
    public static MachineInfo Collect(string repositoryRoot)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var commit = Run("git", repositoryRoot, "rev-parse", "HEAD")?.Trim() ?? "unknown";
        var dirty = !string.IsNullOrWhiteSpace(Run("git", repositoryRoot, "status", "--porcelain", "--untracked-files=no"));
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        return new MachineInfo(Environment.ProcessorCount, cpu, MemoryBytes(), File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            commit, dirty, RuntimeInformation.FrameworkDescription, Run("node", repositoryRoot, "--version")?.Trim(), load);
    }

    /// <summary>MemTotal of /proc/meminfo in bytes.</summary>
    public static long MemoryBytes()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Cores} cores ({CpuModel}), {MemoryBytesTotal / (1024.0 * 1024 * 1024):F1} GiB memory, Linux {Kernel}, commit {GitCommit[..Math.Min(12, GitCommit.Length)]}{(GitDirty ? " (with uncommitted changes)" : "")}, {DotnetRuntime}, node {NodeVersion ?? "absent"}, load average at start {LoadAverage1m:F2}");

    private static string? Run(string file, string directory, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
