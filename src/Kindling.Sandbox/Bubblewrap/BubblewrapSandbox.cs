using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Kindling.Sandbox.Cgroups;
using Kindling.Sandbox.Interop;
using Kindling.Sandbox.Prestarted;
using Kindling.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// A running bubblewrap sandbox. Its exit is learnt from bubblewrap's status pipe (an "exit-code" record, then
/// end of file when bubblewrap exits), so no thread waits per sandbox; bubblewrap is reaped right after.
/// </summary>
internal sealed class BubblewrapSandbox : ISandbox
{
    private static readonly TimeSpan s_killTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_bubblewrapGrace = TimeSpan.FromSeconds(2);

    private readonly int _bubblewrapPid;
    private readonly OutputPump _output;
    private readonly TextReader _status;
    private readonly ITmpVolume _volume;
    private readonly ILogger _logger;
    private readonly Action<BubblewrapSandbox>? _onDisposed;
    private readonly Func<int, Task<Socket>>? _createClient;
    private readonly Lock _reapLock = new();
    private bool _reaped;
    private MountSlot? _slot;
    private PrestartedShape? _shape;
    private int _startWrite = -1;
    private long _finalMaxMemory;
    private int _disposed;

    public BubblewrapSandbox(
        string id, int bubblewrapPid, int pid, Socket listener, Stream output, TextReader status,
        ICgroup cgroup, ITmpVolume volume, ILogger logger, Action<BubblewrapSandbox>? onDisposed = null,
        Func<int, Task<Socket>>? createClient = null)
    {
        _createClient = createClient;
        Id = id;
        _bubblewrapPid = bubblewrapPid;
        Pid = pid;
        RuntimeApiListener = listener;
        _output = new OutputPump(output);
        _status = status;
        Cgroup = cgroup;
        _volume = volume;
        _logger = logger;
        _onDisposed = onDisposed;
        Exited = WatchAsync();
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public int Pid { get; }

    /// <inheritdoc />
    public Socket RuntimeApiListener { get; }

    /// <inheritdoc />
    public Stream Output => _output.Reader;

    /// <inheritdoc />
    public long OutputBytesWritten => _output.WrittenBytes;

    /// <inheritdoc />
    public Task<SandboxExit> Exited { get; }

    /// <summary>The sandbox's control groups.</summary>
    public ICgroup Cgroup { get; }

    /// <summary>The sandbox's /tmp.</summary>
    public ITmpVolume TmpVolume => _volume;

    /// <inheritdoc />
    public long MemoryUsageBytes => Volatile.Read(ref _disposed) == 0 ? Cgroup.MemoryUsageBytes : 0;

    /// <inheritdoc />
    public long MaxMemoryUsageBytes => Volatile.Read(ref _disposed) == 0 && !Exited.IsCompleted
        ? Cgroup.MaxMemoryUsageBytes
        : Interlocked.Read(ref _finalMaxMemory);

    /// <inheritdoc />
    public long OomKillCount
    {
        get
        {
            try
            {
                return Volatile.Read(ref _disposed) == 0 ? Cgroup.OomKillCount : 0;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// Makes this a pre-started sandbox: its shell waits on the pipe written through <paramref name="startWrite"/>
    /// (owned from now on), its /var/task and /opt are <paramref name="slot"/>'s mount points.
    /// </summary>
    internal void SetPrestarted(PrestartedShape shape, MountSlot slot, int startWrite)
    {
        _shape = shape;
        _slot = slot;
        _startWrite = startWrite;
    }

    /// <summary>
    /// Whether a pre-started sandbox's waiting process is blocked reading its start pipe: it has loaded what it loads
    /// ahead and waits for its function (a process of the sandbox other than its init whose system call in progress,
    /// as /proc/&lt;pid&gt;/syscall shows, is a read(2) of its stdin — or, for the waiting shell, which reads the pipe
    /// through a descriptor of its own, of a descriptor open on the same pipe).
    /// </summary>
    internal bool IsWaiting()
    {
        try
        {
            foreach (var pid in Cgroup.ReadProcesses())
            {
                if (pid != Pid && IsReadingStdin("/proc/" + pid.ToString(CultureInfo.InvariantCulture)))
                {
                    return true;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Exited meanwhile.
        }

        return false;
    }

    private static bool IsReadingStdin(string process)
    {
        // "0 0x<fd> …": read(2) on <fd>; anything else (another call, "running") is not waiting.
        var syscall = File.ReadAllText(process + "/syscall");
        if (!syscall.StartsWith("0 0x", StringComparison.Ordinal))
        {
            return false;
        }

        var end = syscall.IndexOf(' ', 4);
        if (end < 0 || !int.TryParse(syscall.AsSpan(4, end - 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var fd))
        {
            return false;
        }

        return fd == 0
            || (new FileInfo(process + "/fd/0").LinkTarget is { } stdin
                && new FileInfo(process + "/fd/" + fd.ToString(CultureInfo.InvariantCulture)).LinkTarget == stdin);
    }

    /// <summary>
    /// Gives a pre-started sandbox its function: binds the code and layers, sets the memory limit, starts the command
    /// with its variables, then sets the CPU share. Once only.
    /// </summary>
    /// <param name="spec">The spec to run, of this sandbox's shape.</param>
    /// <param name="limits">The spec's limits (memory with any /tmp surcharge, the starting CPU share; the pids limit is the shape's).</param>
    internal void Specialize(SandboxSpec spec, CgroupLimits limits)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_slot is null || _startWrite < 0)
        {
            throw new InvalidOperationException("Only a pre-started sandbox is specialized, once.");
        }

        _slot.Attach(spec.TaskDirectory, spec.OptDirectory);
        Cgroup.RaiseMemoryLimit(limits.MemoryBytes);
        Descriptors.WriteAll(_startWrite, _shape!.StartInput(spec));
        Libc.CloseQuietly(ref _startWrite);
        // After the start: the waiting shell's charge is counted either way (the reset restarts the peak at the current
        // usage), the waiting quota (0.1 CPU) and weight cannot slow the ~50 µs until these land, and a cold start's
        // runtime begins that much sooner.
        Cgroup.ResetMemoryPeak();
        Cgroup.SetCpuLimit(limits.CpuCount);
        Cgroup.SetBackground(false);
    }

    /// <inheritdoc />
    public async ValueTask<Socket> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var socket = _createClient is null
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : await _createClient(Pid);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void SetCpuLimit(double cpuCount)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!double.IsFinite(cpuCount) || cpuCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cpuCount), cpuCount, "A CPU share must be positive.");
        }

        Cgroup.SetCpuLimit(cpuCount);
    }

    /// <inheritdoc />
    public ValueTask FreezeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Cgroup.FreezeAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask ThawAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Cgroup.ThawAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The control group first: bubblewrap then sees its child die, reaps it, reports and exits. Killing
    /// bubblewrap first would orphan the sandbox's init to the host's pid 1 as a zombie. bubblewrap itself is
    /// killed only if it does not follow.
    /// </remarks>
    public async ValueTask KillAsync()
    {
        await KillGroupAsync();
        try
        {
            await Exited.WaitAsync(s_bubblewrapGrace);
        }
        catch (TimeoutException)
        {
            lock (_reapLock)
            {
                // A zombie's pid is not reused until reaped, so this cannot hit another process.
                if (!_reaped)
                {
                    _ = Libc.kill(_bubblewrapPid, Libc.SigKill);
                }
            }

            await Exited;
        }

        // bubblewrap's --die-with-parent can lose a start-up race and leave processes behind (pitfall 3).
        var deadline = Environment.TickCount64 + (long)s_killTimeout.TotalMilliseconds;
        while (!IsGroupEmpty())
        {
            if (Environment.TickCount64 > deadline)
            {
                SandboxLog.KillIncomplete(_logger, Id);
                return;
            }

            await KillGroupAsync();
            await Task.Delay(1);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await KillAsync();
        }
        finally
        {
            // The listener keeps the network namespace alive (pitfall 5).
            RuntimeApiListener.Dispose();
            Libc.CloseQuietly(ref _startWrite);
            _slot?.Dispose();
            try
            {
                // Each cleanup on its own: a group the kernel is slow to let go (hundreds of sandboxes stopping at
                // once) must not leave the /tmp volume mounted; the sweeper removes leftover groups later.
                await RemoveCgroupAsync();
                _volume.Dispose();
            }
            catch (IOException exception)
            {
                SandboxLog.CleanupFailed(_logger, Id, exception);
            }
            finally
            {
                await _output.DisposeAsync();
                _status.Dispose();
                _onDisposed?.Invoke(this);
            }
        }
    }

    private async ValueTask RemoveCgroupAsync()
    {
        try
        {
            await Cgroup.RemoveAsync(CancellationToken.None);
        }
        catch (IOException exception)
        {
            SandboxLog.CleanupFailed(_logger, Id, exception);
        }
    }

    private async ValueTask KillGroupAsync()
    {
        try
        {
            await Cgroup.KillAllAsync(CancellationToken.None);
        }
        catch (IOException)
        {
            // The group is already gone.
        }
    }

    private bool IsGroupEmpty()
    {
        try
        {
            return Cgroup.ReadProcesses().Count == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<SandboxExit> WatchAsync()
    {
        int? reported = null;
        try
        {
            while (await _status.ReadLineAsync() is { } line)
            {
                reported ??= ReadExitCode(line);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            SandboxLog.MonitorFailed(_logger, Id, exception);
        }

        var status = Reap();
        var exit = ToExit(reported, status);
        try
        {
            Interlocked.Exchange(ref _finalMaxMemory, Cgroup.MaxMemoryUsageBytes);
            exit = exit with { OutOfMemory = Cgroup.OomKillCount > 0 };
        }
        catch (IOException exception)
        {
            SandboxLog.MonitorFailed(_logger, Id, exception);
        }

        SandboxLog.Exited(_logger, Id, exit.ExitCode, exit.OutOfMemory);
        return exit;
    }

    /// <summary>Collects bubblewrap's status; it closed the status pipe, so it is exiting and this is quick.</summary>
    private int Reap()
    {
        lock (_reapLock)
        {
            var status = Libc.WaitForExit(_bubblewrapPid);
            _reaped = true;
            return status;
        }
    }

    /// <summary>The code in a <c>{ "exit-code": N }</c> record, or null for other records (the child pid).</summary>
    internal static int? ReadExitCode(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("exit-code", out var code) ? code.GetInt32() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Combines bubblewrap's report (if it lived to write one) with its own wait status.</summary>
    internal static SandboxExit ToExit(int? reported, int waitStatus)
    {
        if (reported is { } code)
        {
            return SandboxExit.FromStatus(code);
        }

        var signal = waitStatus & 0x7f;
        if (waitStatus >= 0 && signal != 0 && signal != 0x7f)
        {
            return new SandboxExit(128 + signal, signal, false);
        }

        return new SandboxExit(waitStatus >= 0 ? (waitStatus >> 8) & 0xff : 255, null, false);
    }
}
