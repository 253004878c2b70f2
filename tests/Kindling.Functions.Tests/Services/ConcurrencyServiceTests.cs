using System.Net;
using Kindling.Functions.Arns;
using Kindling.Functions.Model;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Services;

public sealed class ConcurrencyServiceTests
{
    private const string BelowMinimum =
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].";

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task PutReservedAsync_LeavingExactlyTheMinimum_Succeeds()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        var result = await plane.Concurrency.PutReservedAsync("hello", new Concurrency(900), None);

        Assert.Equal(900, result.ReservedConcurrentExecutions);
        Assert.Equal(900, (await plane.Concurrency.GetReservedAsync("hello", None)).ReservedConcurrentExecutions);
        Assert.Equal(900, (await plane.Functions.GetAsync("hello", null, None)).ReservedConcurrentExecutions);
    }

    [Fact]
    public async Task PutReservedAsync_BelowUnreservedMinimum_ThrowsInvalidParameter()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            BelowMinimum,
            () => plane.Concurrency.PutReservedAsync("hello", new Concurrency(901), None));
    }

    [Fact]
    public async Task PutReservedAsync_OtherFunctionsReservations_CountAgainstThePool()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("a");
        await plane.CreateActiveAsync("b");
        await plane.Concurrency.PutReservedAsync("a", new Concurrency(500), None);

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            BelowMinimum,
            () => plane.Concurrency.PutReservedAsync("b", new Concurrency(401), None));
        await plane.Concurrency.PutReservedAsync("b", new Concurrency(400), None);
        Assert.Equal(900, await plane.Concurrency.TotalReservedAsync(null, None));
    }

    [Fact]
    public async Task PutReservedAsync_ReplacingOwnReservation_DoesNotCountTheOldValue()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Concurrency.PutReservedAsync("hello", new Concurrency(800), None);

        var result = await plane.Concurrency.PutReservedAsync("hello", new Concurrency(900), None);

        Assert.Equal(900, result.ReservedConcurrentExecutions);
    }

    [Fact]
    public async Task PutReservedAsync_CustomLimits_NamesTheirMinimum()
    {
        await using var plane = new ControlPlane(new AccountLimits { ConcurrentExecutions = 10, MinimumUnreservedConcurrency = 5 });
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [5].",
            () => plane.Concurrency.PutReservedAsync("hello", new Concurrency(6), None));
    }

    [Fact]
    public async Task PutReservedAsync_Negative_ThrowsValidation()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.BadRequest,
            "ValidationException",
            "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
            () => plane.Concurrency.PutReservedAsync("hello", new Concurrency(-1), None));
    }

    [Fact]
    public async Task PutReservedAsync_MissingFunction_ThrowsNotFound()
    {
        await using var plane = new ControlPlane();

        await LambdaAssert.ThrowsAsync(
            HttpStatusCode.NotFound,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost",
            () => plane.Concurrency.PutReservedAsync("ghost", new Concurrency(1), None));
    }

    [Fact]
    public async Task DeleteReservedAsync_Reserved_ClearsIt()
    {
        await using var plane = new ControlPlane();
        await plane.CreateActiveAsync("hello");
        await plane.Concurrency.PutReservedAsync("hello", new Concurrency(10), None);

        await plane.Concurrency.DeleteReservedAsync("hello", None);

        Assert.Null((await plane.Concurrency.GetReservedAsync("hello", None)).ReservedConcurrentExecutions);
        Assert.Equal(0, await plane.Concurrency.TotalReservedAsync(null, None));
    }
}
