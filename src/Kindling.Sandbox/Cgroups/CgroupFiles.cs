using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Cgroups;

/// <summary>Reading and writing control-group interface files (one short value per write, as the kernel expects).</summary>
internal static class CgroupFiles
{
    private static readonly TimeSpan s_yieldPhase = TimeSpan.FromMilliseconds(2);

    /// <remarks>
    /// open, write, close: File.WriteAllText adds a lock, a truncate and a seek (~7 system calls), and a cold start
    /// writes five of these files before its runtime starts.
    /// </remarks>
    public static void Write(string directory, string file, string value)
    {
        var path = Path.Combine(directory, file);
        var size = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> bytes = size <= 256 ? stackalloc byte[size] : new byte[size];
        bytes = bytes[..Encoding.UTF8.GetBytes(value, bytes)];
        var fd = Libc.open(path, Libc.OWriteOnly | Libc.OCreate | Libc.OTruncate | Libc.OCloseOnExec, 0x1A4);
        if (fd < 0)
        {
            throw Libc.LastError("open " + path);
        }

        try
        {
            Descriptors.WriteAll(fd, bytes);
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    public static void Write(string directory, string file, long value)
        => Write(directory, file, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes, ignoring a failure (a process gone, a group removed).</summary>
    public static void TryWrite(string directory, string file, long value)
    {
        try
        {
            Write(directory, file, value);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static string Read(string directory, string file)
        => File.ReadAllText(Path.Combine(directory, file));

    public static long ReadInt64(string directory, string file)
        => long.Parse(Read(directory, file).AsSpan().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>The value of <c>key value</c> line <paramref name="key"/> in a flat-keyed file such as memory.events.</summary>
    public static long ReadKeyed(string directory, string file, string key)
    {
        foreach (var line in Read(directory, file).AsSpan().EnumerateLines())
        {
            var space = line.IndexOf(' ');
            if (space > 0 && line[..space].SequenceEqual(key))
            {
                return long.Parse(line[(space + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public static IReadOnlyList<int> ReadPids(string directory)
    {
        var pids = new List<int>();
        foreach (var line in Read(directory, "cgroup.procs").AsSpan().EnumerateLines())
        {
            if (!line.IsWhiteSpace())
            {
                pids.Add(int.Parse(line.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture));
            }
        }

        return pids;
    }

    /// <summary>Creates a group directory; unlike Directory.CreateDirectory, fails if it exists (names are unique).</summary>
    public static void CreateDirectory(string directory)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        if (Libc.mkdir(directory, 0x1ED) != 0)
        {
            throw Libc.LastError("mkdir " + directory);
        }
    }

    /// <summary>Removes an empty group directory, ignoring failure.</summary>
    public static void TryRemoveDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// SIGKILLs every process in the groups below <paramref name="directory"/> and removes them (best effort: a
    /// group whose processes are still dying stays for the next attempt).
    /// </summary>
    public static void KillTree(string directory)
    {
        foreach (var child in SafeChildren(directory))
        {
            KillTree(child);
        }

        // Thaw before killing: a crashed worker leaves idle sandboxes frozen, and a frozen task cannot die.
        TryThaw(directory);
        try
        {
            foreach (var pid in ReadPids(directory))
            {
                _ = Libc.kill(pid, Libc.SigKill);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Removes the groups below <paramref name="directory"/> and itself, once <see cref="KillTree"/> has emptied
    /// them in every hierarchy (v1 keeps the freezer apart from memory: kill everywhere first, then remove).
    /// Waits up to 2 s for the kernel to let go: the sandbox's init is briefly a zombie.
    /// </summary>
    public static void RemoveTree(string directory)
    {
        foreach (var child in SafeChildren(directory))
        {
            RemoveTree(child);
        }

        var deadline = Environment.TickCount64 + 2000;
        while (Directory.Exists(directory))
        {
            TryRemoveDirectory(directory);
            if (!Directory.Exists(directory) || Environment.TickCount64 > deadline)
            {
                break;
            }

            Thread.Sleep(1);
        }
    }

    private static IReadOnlyList<string> SafeChildren(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static void TryThaw(string directory)
    {
        try
        {
            if (File.Exists(Path.Combine(directory, "freezer.state")))
            {
                Write(directory, "freezer.state", "THAWED");
            }
            else if (File.Exists(Path.Combine(directory, "cgroup.freeze")))
            {
                Write(directory, "cgroup.freeze", 0);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Removes <paramref name="directory"/> (a missing one counts as removed), retrying while the kernel still
    /// holds the group: the sandbox's pid 1 is briefly a zombie after the command exits.
    /// </summary>
    public static async ValueTask RemoveDirectoryAsync(string directory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                await Task.Delay(1, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds: for the first 2 ms by yielding (freezer transitions
    /// take 0.2–2 ms here, less than a timer tick; v1 has no notification), then once per millisecond.
    /// </summary>
    /// <returns>False when <paramref name="timeout"/> passed first.</returns>
    public static async ValueTask<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed > timeout)
            {
                return false;
            }

            if (elapsed < s_yieldPhase)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1, cancellationToken);
            }
        }

        return true;
    }
}
