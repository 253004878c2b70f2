using System.Text;

namespace Kindling.Worker.Tests;

[Collection(WorkerCollection.Name)]
public sealed class InvokeTests(WorkerFixture worker)
{
    [Fact]
    public async Task Invoke_EchoBootstrap_ReturnsEventBytes()
    {
        var function = worker.Function(await worker.StoreBootstrapAsync("echo.sh"));
        await using var environment = await worker.CreateAsync(function);

        var result = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("""{"hello":"world"}""", function));

        Assert.Equal("""{"hello":"world"}""", Encoding.UTF8.GetString(result.Payload.Span));
        Assert.Null(result.FunctionError);
        Assert.Null(result.ErrorType);
        Assert.True(environment.IsReusable);
    }

    [Fact]
    public async Task Invoke_TutorialBootstrap_ReturnsHandlerResponse()
    {
        var codeId = await worker.StoreBootstrapAsync("tutorial-bootstrap", ("function.sh", WorkerFixture.Asset("tutorial-function.sh"), 0x1A4));
        var function = worker.Function(codeId);
        await using var environment = await worker.CreateAsync(function);

        var first = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("""{"text":"Hello"}""", function));
        var second = await WorkerFixture.InvokeAsync(environment, WorkerFixture.Request("""{"text":"again"}""", function));

        Assert.Equal("""Echoing request: '{"text":"Hello"}'""", Encoding.UTF8.GetString(first.Payload.Span));
        Assert.Equal("""Echoing request: '{"text":"again"}'""", Encoding.UTF8.GetString(second.Payload.Span));
        Assert.Null(first.FunctionError);
        Assert.True(environment.IsReusable);
    }
}
