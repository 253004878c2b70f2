using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kindling.Sandbox.Bubblewrap;
using Kindling.Sandbox.Cgroups;
using Kindling.Sandbox.Interop;
using Kindling.Sandbox.Networking;
using Kindling.Sandbox.Prestarted;
using Kindling.Sandbox.Seccomp;
using Kindling.Sandbox.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kindling.Sandbox;

/// <summary>
/// Launches sandboxes with bubblewrap (DESIGN §2): new user, pid, mount, ipc, uts, cgroup and (unless egress is
/// allowed) network namespaces; a read-only root of host binds; a private /tmp; an unprivileged user without
/// capabilities; no_new_privs and a seccomp filter; cgroups set before the command runs. Needs root (cgroups,
/// loop devices). Disposing it disposes the sandboxes still running. If the worker dies instead, the kernel kills
/// its sandboxes (bubblewrap's --die-with-parent) except frozen ones, which the next start kills along with the
/// dead worker's control groups and /tmp volumes.
/// </summary>
public sealed class BubblewrapLauncher : ISandboxLauncher, IAsyncDisposable
{
    private static readonly TimeSpan s_failureOutputTimeout = TimeSpan.FromSeconds(2);

    private readonly BubblewrapLauncherOptions _options;
    private readonly ICgroupDriver _cgroups;
    private readonly ITmpVolumeProvider _volumes;
    private readonly ILogger _logger;
    private readonly HostRoot _root;
    private readonly SandboxEtc _etc;
    private readonly SandboxThread _thread;
    private readonly SandboxThread _primer;
    private readonly SemaphoreSlim _starting;
    private readonly ConcurrentDictionary<BubblewrapSandbox, byte> _live = new();
    private readonly string[] _spawnPrefix;
    private readonly (int Uid, int Gid)? _spawnAs;

    /// <summary>The sandboxes' host user when it is not the worker's own (the owner of what a sandbox opens by path).</summary>
    private readonly (int Uid, int Gid)? _sandboxUser;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sweeper;

    /// <summary>
    /// How often leftovers of dead workers are swept. A worker killed with SIGKILL can take a moment to be gone
    /// from /proc (its loop devices and mounts keep it exiting), so the sweep at start can miss it; its frozen
    /// sandboxes and /tmp volumes are then released by a later sweep.
    /// </summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(15);
    private readonly PrestartedPool? _prestarted;
    private readonly string? _slotScope;
    private readonly string _waitingShell = File.Exists("/usr/bin/dash") ? "/usr/bin/dash" : "/usr/bin/sh";
    private volatile bool _broken;

    /// <summary>Launches under way for specs (not pre-started sandboxes).</summary>
    private int _coldLaunches;
    private int _priming;
    private int _disposed;

    /// <summary>Creates the launcher from configured options.</summary>
    public BubblewrapLauncher(IOptions<BubblewrapLauncherOptions> options, ILogger<BubblewrapLauncher> logger)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), logger)
    {
    }

    /// <summary>
    /// Creates the launcher: detects the control-group version, prepares the state directory (removing /tmp
    /// volumes a crashed worker left), compiles the seccomp filter and starts the spawning thread.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The host lacks bubblewrap or usable control groups.</exception>
    public BubblewrapLauncher(BubblewrapLauncherOptions options, ILogger<BubblewrapLauncher>? logger = null)
        : this(options, CgroupDiscovery.CreateDriver(CgroupPaths.Default with { GroupName = options?.CgroupName ?? "kindling" }), null, logger)
    {
    }

    internal BubblewrapLauncher(BubblewrapLauncherOptions options, ICgroupDriver cgroups, ITmpVolumeProvider? volumes, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cgroups);
        if (!File.Exists(options.BubblewrapPath))
        {
            throw new PlatformNotSupportedException($"bubblewrap not found at {options.BubblewrapPath} (Debian package bubblewrap).");
        }

        _options = options;
        var starts = options.MaxConcurrentStarts ?? 8 * Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(starts, nameof(options.MaxConcurrentStarts));
        _starting = new SemaphoreSlim(starts, starts);
        _cgroups = cgroups;
        _cgroups.RemoveLeftovers();
        _logger = logger ?? NullLogger.Instance;
        var dropToUser = options.HostUserId is not null && Environment.IsPrivilegedProcess;
        var hostUid = dropToUser ? options.HostUserId!.Value : (int)Libc.geteuid();
        var hostGid = dropToUser ? options.HostGroupId ?? options.HostUserId!.Value : (int)Libc.getegid();
        // bubblewrap is started as the unprivileged host user by the launcher's thread switching to it around the
        // spawn, or by setpriv where the thread cannot.
        _spawnAs = dropToUser && ThreadCredentials.Supported ? (hostUid, hostGid) : null;
        _sandboxUser = dropToUser ? (hostUid, hostGid) : null;
        _spawnPrefix = dropToUser && _spawnAs is null
            ? [options.SetprivPath, $"--reuid={hostUid}", $"--regid={hostGid}", "--clear-groups", "--", options.BubblewrapPath]
            : [options.BubblewrapPath];

        // Searchable, not listable, by the sandboxes' host user: bubblewrap binds /etc files and /tmp from here.
        UnixModes.CreateDirectory(options.StateDirectory, UnixModes.WorldSearchable);
        UnixModes.Set(options.StateDirectory, UnixModes.WorldSearchable);
        _volumes = volumes ?? CreateVolumeProvider(options, hostUid, hostGid, _logger);
        _sweeper = SweepLeftoversAsync(_stopping.Token);
        _root = HostRoot.Detect();
        _etc = new SandboxEtc(Path.Combine(options.StateDirectory, "etc"), options.SandboxUserId, options.SandboxGroupId);
        _ = SeccompProgram.Bytes;
        _thread = new SandboxThread();
        _primer = new SandboxThread("kindling-cgroup-primer");
        if (options.PrestartedPerShape > 0)
        {
            var slots = Path.Combine(options.StateDirectory, "slots");
            var scope = Path.Combine(slots, WorkerScope.Current);
            try
            {
                UnixModes.CreateDirectory(slots, UnixModes.WorldSearchable);
                RemoveStaleSlots(slots);
                MountSlot.RemoveScope(scope);
                UnixModes.CreateDirectory(scope, UnixModes.WorldSearchable);
                Mounts.MakePrivateMountPoint(scope);
                _slotScope = scope;
                _prestarted = new PrestartedPool(
                    options.PrestartedPerShape, options.PrestartedShapes, LaunchWaitingAsync, () => Volatile.Read(ref _coldLaunches) > 0, _logger);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Every sandbox is then launched at its cold start, as with none configured.
                SandboxLog.PrestartUnavailable(_logger, exception);
            }
        }

        SandboxLog.LauncherReady(_logger, cgroups.Version, options.TmpStorage, hostUid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The pre-started sandboxes, when enabled (<see cref="BubblewrapLauncherOptions.PrestartedPerShape"/>).</summary>
    internal PrestartedPool? Prestarted => _prestarted;

    /// <inheritdoc />
    /// <remarks>
    /// A spec whose shape has a pre-started sandbox ready gets that one, specialized (its code bound, its limits set,
    /// its command started); otherwise a new one is launched. Either way the caller gets a sandbox whose command runs.
    /// </remarks>
    public async ValueTask<ISandbox> LaunchAsync(SandboxSpec spec, CancellationToken cancellationToken)
    {
        SandboxSpecValidator.Validate(spec);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_broken)
        {
            throw new SandboxLaunchException("The launcher's thread is stuck in a sandbox's network namespace or user; restart the worker.");
        }

        if (_prestarted is not null && PrestartedShape.Of(spec) is { } shape && _prestarted.TryTake(shape) is { } ready)
        {
            var timeline = new StepTimeline();
            try
            {
                ready.Specialize(spec, LimitsOf(spec));
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    SandboxLog.Specialized(_logger, ready.Id, spec.Id, timeline.TotalMilliseconds);
                }

                return ready;
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
            {
                // A pre-started sandbox that cannot take the function (it died meanwhile, say): a new one instead.
                SandboxLog.SpecializeFailed(_logger, ready.Id, spec.Id, exception);
                await ready.DisposeAsync();
            }
        }

        Interlocked.Increment(ref _coldLaunches);
        try
        {
            return await LaunchCoreAsync(spec, null, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _coldLaunches);
        }
    }

    /// <summary>Launches a pre-started sandbox of <paramref name="shape"/>: its shell waits for the start script.</summary>
    private async Task<BubblewrapSandbox> LaunchWaitingAsync(PrestartedShape shape, CancellationToken cancellationToken)
    {
        var id = "kp-" + Guid.NewGuid().ToString("N");
        var slot = MountSlot.Create(_slotScope!, id);
        try
        {
            return await LaunchCoreAsync(shape.ToWaitingSpec(id, slot, _waitingShell), (shape, slot), cancellationToken);
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    /// <param name="spec">A validated spec.</param>
    /// <param name="prestarted">For a pre-started sandbox, its shape and mount slot (owned by the sandbox once launched).</param>
    /// <param name="cancellationToken">Abandons the launch.</param>
    private async Task<BubblewrapSandbox> LaunchCoreAsync(
        SandboxSpec spec, (PrestartedShape Shape, MountSlot Slot)? prestarted, CancellationToken cancellationToken)
    {
        var launch = new Launch(spec) { Waits = prestarted is not null };
        try
        {
            await _starting.WaitAsync(cancellationToken);
            try
            {
                launch.Timeline.Mark("queued");
                await StartAsync(launch, cancellationToken);
            }
            finally
            {
                _starting.Release();
            }

            var sandbox = new BubblewrapSandbox(
                spec.Id, launch.BubblewrapPid, launch.ChildPid, launch.Listener!, launch.Output!, launch.Status!,
                launch.Cgroup!, launch.Volume!, _logger, s => _live.TryRemove(s, out _),
                spec.AllowNetwork ? null : CreateClientAsync);
            if (prestarted is { } waiting)
            {
                sandbox.SetPrestarted(waiting.Shape, waiting.Slot, launch.StartWrite);
                launch.StartWrite = -1;
            }

            _live[sandbox] = 0;
            launch.Handover();
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                SandboxLog.Launched(_logger, spec.Id, sandbox.Pid, launch.Timeline.TotalMilliseconds, launch.Timeline.ToString());
            }
            return sandbox;
        }
        catch (Exception exception)
        {
            await launch.AbortAsync();
            SandboxLog.LaunchFailed(_logger, spec.Id, exception);
            if (exception is OperationCanceledException or SandboxLaunchException or ObjectDisposedException)
            {
                throw;
            }

            throw new SandboxLaunchException($"Sandbox {spec.Id} could not be launched: {exception.Message}", exception);
        }
    }

    /// <summary>A spec's control-group limits: its memory (and any /tmp surcharge), its starting CPU share, its pids.</summary>
    private CgroupLimits LimitsOf(SandboxSpec spec) => new(
        spec.MemoryLimitBytes + _volumes.MemoryLimitSurcharge(spec.TmpSizeBytes), spec.InitialCpuCount ?? spec.CpuCount, spec.PidsLimit);

    private static void RemoveStaleSlots(string slots)
    {
        foreach (var stale in WorkerScope.FindStale(slots))
        {
            MountSlot.RemoveScope(stale);
        }
    }

    /// <summary>
    /// Disposes every sandbox still running (frozen ones too: a SIGKILL waits for a thaw), releases the ready
    /// /tmp volumes and ends the spawning thread.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _sweeper;
        _stopping.Dispose();
        if (_prestarted is not null)
        {
            await _prestarted.DisposeAsync();
        }

        await Task.WhenAll(_live.Keys.Select(s => s.DisposeAsync().AsTask()));
        if (_slotScope is not null)
        {
            MountSlot.RemoveScope(_slotScope);
        }

        if (_volumes is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else if (_volumes is IDisposable synchronous)
        {
            synchronous.Dispose();
        }

        _thread.Dispose();
        _primer.Dispose();
        _cgroups.RemoveScope();
    }

    /// <summary>A socket of the sandbox's network namespace, made on the launcher's thread (setns ≈ 20 µs).</summary>
    private async Task<Socket> CreateClientAsync(int pid)
    {
        if (_broken)
        {
            throw new SandboxLaunchException("The launcher's thread is stuck in a sandbox's network namespace; restart the worker.");
        }

        try
        {
            return await _thread.InvokeAsync(() => NamespaceListener.CreateClient(pid));
        }
        catch (InvalidOperationException)
        {
            _broken = true;
            throw;
        }
    }

    private async Task SweepLeftoversAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    // Processes first (they hold the mounts), then the volumes.
                    _cgroups.RemoveLeftovers();
                    _volumes.RemoveLeftovers();
                    if (_slotScope is not null)
                    {
                        RemoveStaleSlots(Path.GetDirectoryName(_slotScope)!);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    SandboxLog.LeftoverSweepFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private static ITmpVolumeProvider CreateVolumeProvider(BubblewrapLauncherOptions options, int hostUid, int hostGid, ILogger logger)
    {
        if (options.TmpStorage == TmpStorageKind.Tmpfs)
        {
            return new TmpfsVolumeProvider();
        }

        var loop = new LoopTmpVolumeProvider(Path.Combine(options.StateDirectory, "tmp"), hostUid, hostGid);
        return options.TmpVolumePoolSize > 0
            ? new PooledTmpVolumeProvider(loop, options.TmpVolumePoolSize, options.PrewarmTmpSizes, logger)
            : loop;
    }

    private async Task StartAsync(Launch launch, CancellationToken cancellationToken)
    {
        var spec = launch.Spec;
        launch.Volume = await _volumes.CreateAsync(spec.Id, spec.TmpSizeBytes, cancellationToken);
        launch.Timeline.Mark("volume");
        launch.Cgroup = _cgroups.Create(spec.Id, LimitsOf(spec));
        if (launch.Waits)
        {
            launch.Cgroup.SetBackground(true);
        }

        launch.Timeline.Mark("cgroups");
        cancellationToken.ThrowIfCancellationRequested();

        // The grace period of the first cgroup.procs write passes while bubblewrap starts (milliseconds before it
        // reports its child, which then waits on the block pipe), so the attach below rarely waits for it. After
        // the mkdirs above: the priming write holds the cgroup mutex through the grace period.
        var primed = PrimeAttachAsync();
        try
        {
            var commandLine = SandboxCommandLine.Build(spec, _options, _root, _etc, launch.Volume.HostDirectory);
            await SpawnAsync(launch, commandLine);
            launch.Timeline.Mark("spawn");
            launch.ChildPid = await ReadChildPidAsync(launch.Status!, cancellationToken)
                ?? throw await FailureAsync(launch, "bubblewrap exited before starting the sandbox", null);
            // The child was cloned into its own mount namespace, a copy of this one: /tmp is bound from the copy.
            launch.Volume.DetachFromHost();
            launch.Timeline.Mark("child pid");
        }
        finally
        {
            await primed;
        }

        // bubblewrap's child sets up the mounts while this goes on; if it fails (a bind source it may not
        // read, say), any step below can find it gone, and its message is in the output.
        try
        {
            launch.Cgroup.AddProcess(launch.ChildPid);
            launch.Timeline.Mark("attach");
            var endPoint = new IPEndPoint(IPAddress.Loopback, spec.RuntimeApiPort);
            try
            {
                launch.Listener = spec.AllowNetwork
                    ? NamespaceListener.CreateHere(endPoint)
                    : await _thread.InvokeAsync(() => NamespaceListener.Create(launch.ChildPid, endPoint), urgent: true);
            }
            catch (InvalidOperationException)
            {
                _broken = true;
                throw;
            }

            launch.Timeline.Mark("listener");
            cancellationToken.ThrowIfCancellationRequested();
            Descriptors.WriteAll(launch.BlockWrite, "\n"u8);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            throw await FailureAsync(launch, "the sandbox failed during set-up", exception);
        }

        Libc.CloseQuietly(ref launch.BlockWrite);
    }

    /// <summary>
    /// <see cref="ICgroupDriver.PrimeAttach"/> on the primer thread (the write blocks in the kernel for the grace
    /// period, too long to hold a pool thread) while the launch goes on, unless one is under way: launches at the
    /// same moment share its grace period.
    /// </summary>
    private async Task PrimeAttachAsync()
    {
        if (Interlocked.Exchange(ref _priming, 1) != 0)
        {
            return;
        }

        try
        {
            await _primer.InvokeAsync(() =>
            {
                _cgroups.PrimeAttach();
                return true;
            });
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Only a head start: the attach itself reports real failures.
        }
        finally
        {
            Volatile.Write(ref _priming, 0);
        }
    }

    /// <summary>
    /// Starts bubblewrap on the launcher's thread with its pipes and in-memory files at fixed descriptors, and
    /// keeps only the ends the worker reads (output, status) and writes (block).
    /// </summary>
    private async Task SpawnAsync(Launch launch, SandboxCommandLine commandLine)
    {
        (int Read, int Write) output = (-1, -1), status = (-1, -1), block = (-1, -1), start = (-1, -1);
        var arguments = -1;
        var seccomp = -1;
        try
        {
            output = Descriptors.CreatePipe();
            launch.Output = Descriptors.OpenPipeReader(output.Read);
            status = Descriptors.CreatePipe();
            launch.Status = new StreamReader(Descriptors.OpenPipeReader(status.Read), Encoding.UTF8);
            block = Descriptors.CreatePipe();
            launch.BlockWrite = block.Write;
            arguments = Descriptors.CreateMemoryFile("kindling-bwrap-args", commandLine.EncodedArguments);
            seccomp = Descriptors.CreateMemoryFile("kindling-seccomp", SeccompProgram.Bytes.Span);
            FdMapping[] descriptors =
            [
                new(output.Write, 1),
                new(output.Write, 2),
                new(arguments, ChildDescriptors.Arguments),
                new(status.Write, ChildDescriptors.Status),
                new(block.Read, ChildDescriptors.Block),
                new(seccomp, ChildDescriptors.Seccomp),
            ];
            if (launch.Waits)
            {
                start = Descriptors.CreatePipe();
                launch.StartWrite = start.Write;
                if (_sandboxUser is { } owner && Libc.fchown(start.Read, owner.Uid, owner.Gid) != 0)
                {
                    // The waiting shell reopens its stdin through /proc/self/fd/0, which checks the pipe's owner.
                    throw Libc.LastError("fchown");
                }
                descriptors = [.. descriptors, new(start.Read, 0)];
            }

            string[] argv =
                [.. _spawnPrefix, "--args", ChildDescriptors.Arguments.ToString(CultureInfo.InvariantCulture), "--", .. commandLine.Command];
            try
            {
                launch.BubblewrapPid = await _thread.InvokeAsync(() => _spawnAs is { } user
                    ? ThreadCredentials.RunAs(user.Uid, user.Gid, () => PosixSpawn.Spawn(argv[0], argv, descriptors))
                    : PosixSpawn.Spawn(argv[0], argv, descriptors));
            }
            catch (InvalidOperationException exception) when (exception is not ObjectDisposedException)
            {
                // The thread could not take back the worker's credentials.
                _broken = true;
                throw;
            }
        }
        finally
        {
            // bubblewrap has its copies; ours would keep the pipes open after it exits.
            Libc.CloseQuietly(ref output.Write);
            Libc.CloseQuietly(ref status.Write);
            Libc.CloseQuietly(ref block.Read);
            Libc.CloseQuietly(ref start.Read);
            Libc.CloseQuietly(ref arguments);
            Libc.CloseQuietly(ref seccomp);
        }
    }

    /// <summary>Reads status records until the one with the child pid; null if bubblewrap exited first.</summary>
    private static async Task<int?> ReadChildPidAsync(TextReader status, CancellationToken cancellationToken)
    {
        while (await status.ReadLineAsync(cancellationToken) is { } line)
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.TryGetProperty("child-pid", out var pid))
            {
                return pid.GetInt32();
            }
        }

        return null;
    }

    /// <summary>
    /// Kills bubblewrap and reads what it said (its errors go to the output pipe): the message of the failure,
    /// or <paramref name="cause"/>'s when it said nothing.
    /// </summary>
    private static async Task<SandboxLaunchException> FailureAsync(Launch launch, string what, Exception? cause)
    {
        launch.Kill();
        using var timeout = new CancellationTokenSource(s_failureOutputTimeout);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while (text.Length < 8192 && (read = await launch.Output!.ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
        }

        var said = text.ToString().Trim();
        var message = said.Length > 0 || cause is null
            ? $"Sandbox {launch.Spec.Id}: {what}: {said}"
            : $"Sandbox {launch.Spec.Id}: {what}: {cause.Message}";
        return cause is null ? new SandboxLaunchException(message) : new SandboxLaunchException(message, cause);
    }
}
