namespace Kindling.Invocation.Environments;

/// <summary>
/// An invocation needed a new execution environment while none was free or being freed, and its function has
/// already added as many environments as its scaling rate allows in the last 10 seconds (Lambda answers 429
/// <c>TooManyRequestsException</c>). Provisioned environments are not counted against the rate.
/// </summary>
public sealed class ScalingRateExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScalingRateExceededException(string functionName, int environmentsPerWindow)
        : base($"Function {functionName} has reached its scaling rate of {environmentsPerWindow} new execution environments per 10 seconds.")
    {
        FunctionName = functionName;
    }

    /// <summary>The function whose scaling rate was reached.</summary>
    public string FunctionName { get; }
}
