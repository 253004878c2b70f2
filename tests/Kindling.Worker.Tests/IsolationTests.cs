using System.Text;

namespace Kindling.Worker.Tests;

/// <summary>The Runtime API serves every environment from one server: each must only ever reach its own invocations.</summary>
[Collection(WorkerCollection.Name)]
public sealed class IsolationTests(WorkerFixture worker)
{
    [Fact]
    public async Task Response_ForAnotherEnvironmentsRequest_Returns400AndLeavesItRunning()
    {
        var probe = worker.Function(await worker.StoreBootstrapAsync("probe.sh"));
        var sleeper = worker.Function(await worker.StoreBootstrapAsync("sleep.sh")) with { TimeoutSeconds = 30 };
        await using var attacker = await worker.CreateAsync(probe);
        await using var victim = await worker.CreateAsync(sleeper);
        var victimRequest = WorkerFixture.Request("{}", sleeper);
        using var cancel = new CancellationTokenSource();
        var victimInvocation = victim.InvokeAsync(victimRequest, cancel.Token);

        var result = await WorkerFixture.InvokeAsync(attacker, WorkerFixture.Request(
            $"""curl -sS -w ' %{"{http_code}"}' --data-binary 'forged' "$API/invocation/{victimRequest.RequestId}/response" """, probe));

        Assert.Equal("""{"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"} 400""", Encoding.UTF8.GetString(result.Payload.Span).TrimEnd('\n'));
        Assert.False(victimInvocation.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => victimInvocation);
    }

    [Fact]
    public async Task Invoke_ManyEnvironmentsAtOnce_EachGetsItsOwnEvents()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh")) with { MemorySizeMb = 1024 };
        var environments = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => worker.CreateAsync(function)));
        try
        {
            var results = await Task.WhenAll(environments.Select(async (environment, index) =>
            {
                var payloads = new List<string>();
                for (var i = 0; i < 10; i++)
                {
                    var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request($$"""{"environment":{{index}},"invocation":{{i}}}""", function));
                    payloads.Add(Encoding.UTF8.GetString(result.Payload.Span));
                }

                return payloads;
            }));

            for (var index = 0; index < environments.Length; index++)
            {
                var expected = Enumerable.Range(0, 10).Select(i => $$"""{"environment":{{index}},"invocation":{{i}}}""");
                Assert.Equal(expected, results[index]);
            }
        }
        finally
        {
            foreach (var environment in environments)
            {
                await environment.DisposeAsync();
            }
        }
    }
}
