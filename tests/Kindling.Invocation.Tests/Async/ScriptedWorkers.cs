using System.Collections.Concurrent;
using System.Text;
using Kindling.Invocation.Environments;

namespace Kindling.Invocation.Tests.Async;

/// <summary>A worker manager that answers from a script and records what it was asked to run.</summary>
internal sealed class ScriptedWorkers : IWorkerManager
{
    private readonly ConcurrentQueue<Func<InvocationRequest, InvocationResult>> _script = new();

    public ConcurrentQueue<InvocationRequest> Invoked { get; } = new();

    public void Succeed(string payload) => _script.Enqueue(_ => new InvocationResult { Payload = Encoding.UTF8.GetBytes(payload) });

    public void Fail(string message) => _script.Enqueue(r => new InvocationResult
    {
        Payload = Encoding.UTF8.GetBytes($"{{\"errorMessage\":\"{message}\",\"errorType\":\"Exception\",\"requestId\":\"{r.RequestId}\"}}"),
        FunctionError = "Unhandled",
    });

    public void Throttle() => _script.Enqueue(_ => throw new CapacityExceededException("full"));

    public Task<InvocationResult> InvokeAsync(FunctionSpec function, InvocationRequest request, CancellationToken cancellationToken)
    {
        Invoked.Enqueue(request);
        if (!_script.TryDequeue(out var next))
        {
            throw new InvalidOperationException("No scripted result left.");
        }

        return Task.FromResult(next(request));
    }
}
