using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Worker.Code;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
using Kindling.Worker.Runtimes;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Environments;

/// <summary>
/// Creates execution environments: unpacks the code (once per code id), opens the environment's log stream,
/// builds its sandbox (memory = MemorySize, CPU = MemorySize / 1,769 MB, /tmp = EphemeralStorage, the variables of
/// lambda-api.md §5) and runs its Init phase.
/// </summary>
internal sealed class EnvironmentFactory : IEnvironmentFactory
{
    /// <summary>Memory that buys one vCPU.</summary>
    private const double MegabytesPerCpu = 1769;

    private readonly WorkerOptions _options;
    private readonly CodeCache _code;
    private readonly FunctionLogs _logs;
    private readonly ISandboxLauncher _launcher;
    private readonly RuntimeApiTransport _transport;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecutionEnvironment> _logger;
    private readonly IExecutionRoleCredentials? _credentials;
    private readonly RuntimeRegistry _runtimes;
    private readonly RuntimeMirror _mirror;
    private readonly BootstrapLookups _bootstraps = new();

    /// <summary>
    /// How long an environment's role credentials stay valid: beyond any environment's maximum lifetime, so a
    /// warm environment never holds expired keys.
    /// </summary>
    private static readonly TimeSpan CredentialLifetime = TimeSpan.FromHours(12);

    public EnvironmentFactory(
        WorkerOptions options, CodeCache code, FunctionLogs logs, ISandboxLauncher launcher, RuntimeApiTransport transport,
        RuntimeMirror mirror, TimeProvider time, ILogger<ExecutionEnvironment> logger, IExecutionRoleCredentials? credentials = null,
        RuntimeRegistry? runtimes = null)
    {
        _runtimes = runtimes ?? RuntimeRegistry.Empty;
        _mirror = mirror;
        _credentials = credentials;
        _options = options;
        _code = code;
        _logs = logs;
        _launcher = launcher;
        _transport = transport;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<IExecutionEnvironment> CreateAsync(
        FunctionSpec function, InitializationType initializationType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        var timeline = new StepTimeline();
        var (taskDirectory, optDirectory) = await UnpackAsync(function, cancellationToken);
        timeline.Mark("code");
        var id = Guid.NewGuid().ToString("N");
        var streamName = LogStreamName.Create(_time.GetUtcNow(), function.Version, id);
        var (command, failure, launch, runtimeDirectory, extraPaths) = await ResolveCommandAsync(function, taskDirectory, optDirectory);
        var spec = new SandboxSpec
        {
            Id = "k-" + id,
            Command = command ?? ["/var/task/bootstrap"],
            Environment = EnvironmentVariables.Build(
                function, initializationType, streamName, _credentials?.Issue(function, CredentialLifetime), launch?.Environment),
            TaskDirectory = taskDirectory,
            OptDirectory = optDirectory,
            RuntimeDirectory = runtimeDirectory,
            ExtraReadOnlyPaths = extraPaths,
            MemoryLimitBytes = function.MemorySizeMb * 1024L * 1024L,
            CpuCount = function.MemorySizeMb / MegabytesPerCpu,
            // Lambda runs Init unthrottled at small sizes (measured: 2 vCPUs below 3 GB); the share drops to the
            // function's when Init ends.
            InitialCpuCount = Math.Max(function.MemorySizeMb / MegabytesPerCpu, Environment.ProcessorCount),
            TmpSizeBytes = function.EphemeralStorageMb * 1024L * 1024L,
        };

        if (launch is { PrestartCommand: { } prestartCommand, Prestart: { } prestart })
        {
            // Started ahead with the variables that matter at a start, as this function has them.
            spec = spec with
            {
                Prestart = new SandboxPrestart(
                    prestartCommand,
                    spec.Environment.Where(v => prestart.IsStartupVariable(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)),
            };
        }

        var log = _logs.Open(function.FunctionName, streamName);
        var environment = new ExecutionEnvironment(id, function, spec, log, _options, _launcher, _transport, _time, _logger);
        timeline.Mark("spec");
        try
        {
            await environment.InitializeAsync(command, failure, timeline, cancellationToken);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                WorkerLog.Created(_logger, id, function.FunctionName, timeline.TotalMilliseconds, timeline.ToString());
            }

            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// <c>provided</c> runtimes run their bootstrap; managed ones the runtime interface client of their family with
    /// the host's interpreter. A runtime this host no longer has (its settings changed since the function was
    /// created) fails every invoke, as a missing bootstrap does.
    /// </summary>
    private async Task<(IReadOnlyList<string>? Command, EnvironmentFailure? Failure, RuntimeLaunch? Launch, string? RuntimeDirectory, IReadOnlyList<string> ExtraPaths)>
        ResolveCommandAsync(FunctionSpec function, string taskDirectory, string? optDirectory)
    {
        if (function.Runtime.StartsWith("provided", StringComparison.Ordinal))
        {
            var (bootstrap, missing) = _bootstraps.Find(taskDirectory, optDirectory);
            return (bootstrap, missing, null, null, []);
        }

        if (!_runtimes.TryGet(function.Runtime, out var runtime))
        {
            var available = _runtimes.Runtimes.Count == 0 ? "none" : string.Join(", ", _runtimes.Runtimes.Select(r => r.Identifier));
            return (null, EnvironmentFailure.FromPlatform(
                BootstrapLocator.InvalidEntrypoint,
                $"The runtime {function.Runtime} is not installed on this host (managed runtimes here: {available})."), null, null, []);
        }

        string directory;
        try
        {
            directory = await _mirror.GetAsync(runtime);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentLaunchException($"The runtime client of {runtime.Identifier} could not be prepared: {exception.Message}", exception);
        }

        var launch = RuntimeLaunch.Create(runtime, function.MemorySizeMb);
        return (launch.Command, null, launch, directory, runtime.ExtraReadOnlyPaths);
    }

    private async Task<(string Task, string? Opt)> UnpackAsync(FunctionSpec function, CancellationToken cancellationToken)
    {
        try
        {
            var task = await _code.GetTaskDirectoryAsync(function.CodeId, cancellationToken);
            var opt = await _code.GetOptDirectoryAsync(function.LayerCodeIds, cancellationToken);
            return (task, opt);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new EnvironmentLaunchException($"The code of {function.FunctionName} could not be unpacked: {exception.Message}", exception);
        }
    }
}
