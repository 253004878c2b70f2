using System.Text;
using System.Text.Json;
using Amazon.Lambda.Core;

namespace Conformance;

/// <summary>A POCO event.</summary>
public sealed class Order
{
    public string Item { get; set; } = "";

    public int Quantity { get; set; }
}

/// <summary>A POCO result.</summary>
public sealed class Receipt
{
    public string Summary { get; set; } = "";

    public int Total { get; set; }

    public string RequestId { get; set; } = "";
}

/// <summary>A second serializer, named on one method: it wins over the assembly's and upper-cases the output.</summary>
public sealed class ShoutingSerializer : ILambdaSerializer
{
    public T Deserialize<T>(Stream requestStream) => System.Text.Json.JsonSerializer.Deserialize<T>(requestStream)!;

    public void Serialize<T>(T response, Stream responseStream)
    {
        var text = System.Text.Json.JsonSerializer.Serialize(response).ToUpperInvariant();
        responseStream.Write(Encoding.UTF8.GetBytes(text));
    }
}

/// <summary>.NET-specific shapes: <c>Conformance::Conformance.DotnetFunctions::&lt;Name&gt;</c>.</summary>
public static class DotnetFunctions
{
    /// <summary>Stream in, Stream out, no serializer involved: the bytes reversed.</summary>
    public static Stream Reverse(Stream input)
    {
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        var bytes = copy.ToArray();
        Array.Reverse(bytes);
        return new MemoryStream(bytes);
    }

    /// <summary>POCO in and out through the assembly's serializer, with the context.</summary>
    public static Receipt Order(Order order, ILambdaContext context) =>
        new() { Summary = $"{order.Quantity} x {order.Item}", Total = order.Quantity * 3, RequestId = context.AwsRequestId };

    /// <summary>The method-level serializer wins.</summary>
    [LambdaSerializer(typeof(ShoutingSerializer))]
    public static Receipt Shout(Order order) => new() { Summary = order.Item, Total = order.Quantity };

    /// <summary>An async Task&lt;T&gt; handler.</summary>
    public static async Task<Dictionary<string, string>> GreetAsync(Dictionary<string, string> input)
    {
        await Task.Delay(10);
        await Task.Yield();
        return new Dictionary<string, string> { ["greeting"] = "hello " + input["name"] };
    }

    /// <summary>An async Task handler that fails after awaiting: the error is the exception's own.</summary>
    public static async Task FailAsync()
    {
        await Task.Delay(1);
        throw new InvalidOperationException("async failure");
    }

    /// <summary>No parameters, no result.</summary>
    public static void Nothing()
    {
    }

    /// <summary>Structured logging through the context logger, levels and static LambdaLogger.</summary>
    public static string Logs(ILambdaContext context)
    {
        context.Logger.LogInformation("bought {count} of {item}", 3, "apples");
        context.Logger.LogDebug("debug detail");
        context.Logger.LogWarning("careful");
        context.Logger.LogError(new InvalidOperationException("bad thing"), "failed {step}", "checkout");
        context.Logger.LogLine("plain line");
        Console.Error.WriteLine("to stderr");
        LambdaLogger.Log("static logger");
        return "ok";
    }

    /// <summary>A wrong shape: two parameters, the second not a context.</summary>
    public static string TwoStrings(string a, string b) => a + b;

    /// <summary>Two overloads: a handler naming only the method is ambiguous.</summary>
    public static string Overloaded(Stream input) => "stream";

    public static string Overloaded(Stream input, ILambdaContext context) => "context";

    /// <summary>An exception with an inner one: the document carries it as "cause".</summary>
    public static void Wrapped()
    {
        try
        {
            throw new FormatException("inner problem");
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException("outer problem", e);
        }
    }

    /// <summary>Rejects anything that is not JSON, to show the serializer's own exception type.</summary>
    public static JsonElement Parse(JsonElement input) => input;
}

/// <summary>An instance handler: the constructor runs once per execution environment.</summary>
public sealed class InstanceFunction
{
    private static int constructed;
    private int _calls;

    public InstanceFunction()
    {
        constructed++;
    }

    public Dictionary<string, int> Handle(ILambdaContext context)
    {
        _calls++;
        return new Dictionary<string, int> { ["constructed"] = constructed, ["calls"] = _calls };
    }
}

/// <summary>An instance handler whose constructor (the function's init code) fails.</summary>
public sealed class FailingConstructor
{
    public FailingConstructor() => throw new InvalidOperationException("no configuration");

    public string Handle() => "unreachable";
}
