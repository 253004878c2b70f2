using System.Runtime.CompilerServices;
using System.Text;
using Kindling.Runtime.Dotnet.Invocation;
using Kindling.Runtime.Dotnet.Loading;
using Kindling.Runtime.Dotnet.Logging;
using Kindling.Runtime.Dotnet.RuntimeApi;

namespace Kindling.Runtime.Dotnet;

/// <summary>
/// Entry point: <c>dotnet exec [--depsfile F --runtimeconfig F] Kindling.Runtime.Dotnet.dll ASSEMBLY::TYPE::METHOD</c>.
/// Loads the handler (init), then loops on the Runtime API: next, invoke, response or error.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var handler = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("_HANDLER") ?? "";
        var endpoint = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(endpoint))
        {
            Console.Error.WriteLine("Error: AWS_LAMBDA_RUNTIME_API is not set.");
            return 1;
        }

        // Before anything touches Amazon.Lambda.Core: the function may not ship it.
        AssemblyResolution.Install();
        var stdout = new StreamWriter(new StandardOutput(), new UTF8Encoding(false), 8192) { AutoFlush = true };
        var sink = LogSink.FromEnvironment(stdout);
        Console.SetOut(new LevelTextWriter(sink, "Information"));
        Console.SetError(new LevelTextWriter(sink, "Error"));
        using var client = new RuntimeApiClient(endpoint);
        return Run(client, sink, handler);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Run(RuntimeApiClient client, LogSink sink, string handler)
    {
        StaticLoggerRedirect.Install(sink);
        UserCode code;
        try
        {
            code = UserCodeLoader.Load(handler);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            sink.Flush();
            client.PostInitError(e.GetType().Name, ErrorDocument.Write(e));
            return 1;
        }

        var function = new FunctionEnvironment();
        var logger = new ContextLogger(sink);
        while (true)
        {
            var request = client.Next();
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", request.TraceId);
            sink.RequestId = request.RequestId;
            ReadOnlyMemory<byte> response;
            try
            {
                response = code.Invoke(request.Body, new LambdaContext(request, function, logger));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine(e);
                sink.Flush();
                client.PostError(request.RequestId, e.GetType().Name, ErrorDocument.Write(e));
                continue;
            }

            sink.Flush();
            client.PostResponse(request.RequestId, response.Span);
        }
    }
}
