using System.Collections;
using System.Text.Json;
using Amazon.Lambda.Core;

namespace Conformance;

/// <summary>The conformance handlers: <c>Conformance::Conformance.Functions::&lt;Name&gt;</c>.</summary>
public static class Functions
{
    private static readonly int InitCount;
    private static int count;

    static Functions()
    {
        InitCount++;
    }

    public static Stream Echo(Stream input)
    {
        var copy = new MemoryStream();
        input.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    public static Stream Environment()
    {
        return Json(writer =>
        {
            writer.WriteStartObject("env");
            foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                writer.WriteString((string)entry.Key, (string?)entry.Value);
            }

            writer.WriteEndObject();
            writer.WriteString("cwd", Directory.GetCurrentDirectory());
        });
    }

    public static Stream Context(ILambdaContext context)
    {
        return Json(writer =>
        {
            writer.WriteString("functionName", context.FunctionName);
            writer.WriteString("functionVersion", context.FunctionVersion);
            writer.WriteString("invokedFunctionArn", context.InvokedFunctionArn);
            writer.WriteNumber("memoryLimitInMB", context.MemoryLimitInMB);
            writer.WriteString("awsRequestId", context.AwsRequestId);
            writer.WriteString("logGroupName", context.LogGroupName);
            writer.WriteString("logStreamName", context.LogStreamName);
            writer.WriteNumber("remainingTimeMs", (long)context.RemainingTime.TotalMilliseconds);
            if (context.ClientContext is { } client)
            {
                writer.WriteStartObject("clientContext");
                writer.WriteStartObject("custom");
                foreach (var (key, value) in client.Custom)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
                writer.WriteStartObject("env");
                foreach (var (key, value) in client.Environment)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("clientContext");
            }

            if (context.Identity is { } identity)
            {
                writer.WriteStartObject("identity");
                writer.WriteString("identityId", identity.IdentityId);
                writer.WriteString("identityPoolId", identity.IdentityPoolId);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("identity");
            }

            writer.WriteString("traceId", System.Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"));
        });
    }

    public static void Error() => throw new CustomError("handled failure");

    public static int Uncaught()
    {
        string? nothing = null;
        return nothing!.Length;
    }

    public static void Exit() => System.Environment.Exit(3);

    public static Dictionary<string, double> Sleep(SleepEvent input)
    {
        Thread.Sleep(TimeSpan.FromSeconds(input.Seconds));
        return new Dictionary<string, double> { ["slept"] = input.Seconds };
    }

    public static string Large(LargeEvent input) => new('x', input.Size);

    public static Dictionary<string, bool> Log(ILambdaContext context)
    {
        Console.WriteLine("print marker");
        context.Logger.LogDebug("debug marker");
        context.Logger.LogInformation("info marker");
        context.Logger.LogWarning("warn marker");
        context.Logger.LogError("error marker");
        return new Dictionary<string, bool> { ["logged"] = true };
    }

    public static Dictionary<string, int> Counter()
    {
        count++;
        return new Dictionary<string, int> { ["count"] = count, ["initCount"] = InitCount };
    }

    private static MemoryStream Json(Action<Utf8JsonWriter> body)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }
}

/// <summary>The event of <see cref="Functions.Sleep"/>.</summary>
public sealed class SleepEvent
{
    public double Seconds { get; set; }
}

/// <summary>The event of <see cref="Functions.Large"/>.</summary>
public sealed class LargeEvent
{
    public int Size { get; set; }
}

/// <summary>The user-defined exception of the <c>error</c> handler.</summary>
public sealed class CustomError(string message) : Exception(message);
