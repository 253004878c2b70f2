using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kindling.Worker.Logs;

/// <summary>The platform's log lines, exactly as Lambda writes them (lambda-api.md §5).</summary>
internal static class PlatformLines
{
    public static string InitStart(string runtime, string region)
    {
        var version = RuntimeVersion(runtime);
        return string.Concat("INIT_START Runtime Version: ", version, "\tRuntime Version ARN: ", RuntimeVersionArn(version, region));
    }

    /// <summary>The runtime version's ARN (a hash of the version stands for Lambda's).</summary>
    public static string RuntimeVersionArn(string version, string region)
        => string.Concat("arn:aws:lambda:", region, "::runtime:", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version))));

    public static string Start(string requestId, string version)
        => string.Concat("START RequestId: ", requestId, " Version: ", version);

    public static string End(string requestId) => string.Concat("END RequestId: ", requestId);

    /// <summary>
    /// REPORT: durations with two decimals, billed duration rounded up to the millisecond, memory in MB;
    /// Init Duration only on a cold start; Status (and Error Type) only when the platform ended the invocation.
    /// </summary>
    public static string Report(
        string requestId, double durationMs, int memorySizeMb, long maxMemoryUsedMb, double? initDurationMs,
        string? status, string? errorType)
    {
        var builder = new StringBuilder(192);
        var culture = CultureInfo.InvariantCulture;
        builder.Append(culture, $"REPORT RequestId: {requestId}\tDuration: {durationMs:F2} ms\tBilled Duration: {BilledMilliseconds(durationMs)} ms\t");
        builder.Append(culture, $"Memory Size: {memorySizeMb} MB\tMax Memory Used: {maxMemoryUsedMb} MB\t");
        if (initDurationMs is { } init)
        {
            builder.Append(culture, $"Init Duration: {init:F2} ms\t");
        }

        if (status is not null)
        {
            builder.Append(culture, $"Status: {status}\t");
            if (errorType is not null)
            {
                builder.Append(culture, $"Error Type: {errorType}\t");
            }
        }

        return builder.ToString();
    }

    /// <summary><c>INIT_REPORT Init Duration: … ms\tPhase: init|invoke\tStatus: error|timeout</c>.</summary>
    public static string InitReport(double initDurationMs, string phase, string status, string? errorType)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"INIT_REPORT Init Duration: {initDurationMs:F2} ms\tPhase: {phase}\tStatus: {status}");
        return errorType is null ? line : string.Concat(line, "\tError Type: ", errorType);
    }

    /// <summary>The line Lambda writes when an invocation times out.</summary>
    public static string TimedOut(DateTimeOffset now, string requestId, int timeoutSeconds)
        => string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'} {requestId} Task timed out after {timeoutSeconds:F2} seconds");

    /// <summary>Billed duration: the duration rounded up to the next millisecond.</summary>
    public static long BilledMilliseconds(double durationMs) => Math.Max(1, (long)Math.Ceiling(durationMs));

    /// <summary>Peak memory in MB, rounded up.</summary>
    public static long Megabytes(long bytes) => (bytes + (1024 * 1024) - 1) / (1024 * 1024);

    /// <summary><c>provided.al2023</c> → <c>provided:al2023.v1</c>, <c>python3.12</c> → <c>python:3.12.v1</c>.</summary>
    internal static string RuntimeVersion(string runtime)
    {
        var dot = runtime.IndexOf('.', StringComparison.Ordinal);
        if (runtime.StartsWith("provided", StringComparison.Ordinal))
        {
            return dot < 0 ? "provided:al1.v1" : string.Concat("provided:", runtime.AsSpan(dot + 1), ".v1");
        }

        var digit = runtime.AsSpan().IndexOfAnyInRange('0', '9');
        if (digit <= 0)
        {
            return runtime + ".v1";
        }

        var number = runtime.AsSpan(digit);
        if (number.EndsWith(".x"))
        {
            number = number[..^2];
        }

        return string.Concat(runtime.AsSpan(0, digit), ":", number, ".v1");
    }
}
