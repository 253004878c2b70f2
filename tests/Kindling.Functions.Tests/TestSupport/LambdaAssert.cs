using System.Net;
using Kindling.Functions.Errors;

namespace Kindling.Functions.Tests.TestSupport;

/// <summary>Exact assertions on the errors the control plane throws.</summary>
internal static class LambdaAssert
{
    public static LambdaException Throws(HttpStatusCode status, string code, string message, Action action)
    {
        var error = Assert.Throws<LambdaException>(action);
        Matches(status, code, message, error);
        return error;
    }

    public static async Task<LambdaException> ThrowsAsync(HttpStatusCode status, string code, string message, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<LambdaException>(action);
        Matches(status, code, message, error);
        return error;
    }

    private static void Matches(HttpStatusCode status, string code, string message, LambdaException error)
    {
        Assert.Equal(code, error.Code);
        Assert.Equal(status, error.Status);
        Assert.Equal(message, error.Message);
    }
}
