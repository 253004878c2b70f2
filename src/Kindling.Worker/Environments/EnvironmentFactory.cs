using Kindling.Invocation.Environments;
using Kindling.Sandbox;
using Kindling.Worker.Code;
using Kindling.Worker.Logs;
using Kindling.Worker.RuntimeApi;
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

    /// <summary>
    /// How long an environment's role credentials stay valid: beyond any environment's maximum lifetime, so a
    /// warm environment never holds expired keys.
    /// </summary>
    private static readonly TimeSpan CredentialLifetime = TimeSpan.FromHours(12);

    public EnvironmentFactory(
        WorkerOptions options, CodeCache code, FunctionLogs logs, ISandboxLauncher launcher, RuntimeApiTransport transport,
        TimeProvider time, ILogger<ExecutionEnvironment> logger, IExecutionRoleCredentials? credentials = null)
    {
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
        var (taskDirectory, optDirectory) = await UnpackAsync(function, cancellationToken);
        var id = Guid.NewGuid().ToString("N");
        var streamName = LogStreamName.Create(_time.GetUtcNow(), function.Version, id);
        var spec = new SandboxSpec
        {
            Id = "k-" + id,
            Command = ["/var/task/bootstrap"],
            Environment = EnvironmentVariables.Build(function, initializationType, streamName, _credentials?.Issue(function, CredentialLifetime)),
            TaskDirectory = taskDirectory,
            OptDirectory = optDirectory,
            MemoryLimitBytes = function.MemorySizeMb * 1024L * 1024L,
            CpuCount = function.MemorySizeMb / MegabytesPerCpu,
            TmpSizeBytes = function.EphemeralStorageMb * 1024L * 1024L,
        };

        var log = _logs.Open(function.FunctionName, streamName);
        var environment = new ExecutionEnvironment(id, function, spec, log, _options, _launcher, _transport, _time, _logger);
        try
        {
            var (command, failure) = BootstrapLocator.Find(taskDirectory, optDirectory);
            await environment.InitializeAsync(command, failure, cancellationToken);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
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
