using System.Globalization;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>
/// A handler that cannot be loaded. The name is part of the contract: it is the <c>errorType</c> AWS's .NET runtime
/// reports for these failures, with the same messages.
/// </summary>
internal sealed class LambdaValidationException : Exception
{
    public LambdaValidationException(string message) : base(message)
    {
    }

    public LambdaValidationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public LambdaValidationException()
    {
    }

    public static LambdaValidationException Create(string format, params object?[] args) =>
        new(string.Format(CultureInfo.InvariantCulture, format, args));
}
