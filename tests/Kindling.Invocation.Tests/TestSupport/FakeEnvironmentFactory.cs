using System.Collections.Concurrent;
using System.Threading.Channels;
using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Tests.TestSupport;

/// <summary>Creates <see cref="FakeEnvironment"/>s, optionally held at a gate or failing, and publishes their invocations.</summary>
internal sealed class FakeEnvironmentFactory : IEnvironmentFactory
{
    private readonly Channel<FakeInvocation> _invocations = Channel.CreateUnbounded<FakeInvocation>();
    private readonly ConcurrentQueue<FakeEnvironment> _created = new();
    private int _createCalls;

    /// <summary>Invocations complete on their own (for load tests) instead of waiting for the test.</summary>
    public bool AutoComplete { get; set; }

    /// <summary>When set, each launch awaits the task it returns (given the 1-based launch number).</summary>
    public Func<int, Task>? Gate { get; set; }

    public Exception? LaunchFailure { get; set; }

    public int CreateCalls => Volatile.Read(ref _createCalls);

    public IReadOnlyList<FakeEnvironment> Created => [.. _created];

    public IReadOnlyList<InitializationType> InitializationTypes { get; private set; } = [];

    public async Task<IExecutionEnvironment> CreateAsync(FunctionSpec function, InitializationType initializationType, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _createCalls);
        lock (_created)
        {
            InitializationTypes = [.. InitializationTypes, initializationType];
        }

        if (Gate is { } gate)
        {
            await gate(number).WaitAsync(cancellationToken);
        }

        await Task.Yield();
        if (LaunchFailure is { } failure)
        {
            throw failure;
        }

        var environment = new FakeEnvironment(this, function, $"{function.PoolKey}#{number}");
        _created.Enqueue(environment);
        return environment;
    }

    public void Publish(FakeInvocation invocation) => _invocations.Writer.TryWrite(invocation);

    /// <summary>The next invocation that reached an environment (fails the test after the deadline).</summary>
    public async Task<FakeInvocation> NextInvocationAsync() =>
        await _invocations.Reader.ReadAsync().AsTask().WaitAsync(Eventually.Deadline);

    public bool HasPendingInvocation => _invocations.Reader.Count > 0;
}
