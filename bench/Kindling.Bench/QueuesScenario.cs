using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>
/// The SQS-compatible API (AWS JSON 1.0, as boto3 speaks it) and asynchronous invocation: SendMessage and
/// Receive+Delete rates, the Event accept rate (202s per second), and accept → done latency of one event at a time
/// (the function's OnSuccess destination record arriving in a queue, read with a long poll).
/// </summary>
internal sealed class QueuesScenario(ServerProcess server, bool quick)
{
    private const string Account = "000000000000";
    private readonly LambdaClient _lambda = new(server.Endpoint);
    private readonly SigV4Signer _sqsSigner = new(ServerProcess.AccessKeyId, ServerProcess.SecretAccessKey, "us-east-1", "sqs");
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };

    public async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var duration = TimeSpan.FromSeconds(quick ? 2 : 10);
        var queue = await CreateQueueAsync("bench-messages", cancellationToken);
        foreach (var connections in new[] { 1, 8 })
        {
            Console.Error.WriteLine($"  SendMessage, {connections} connection(s), {duration.TotalSeconds:F0} s…");
            results.Add(await LoadAsync($"SendMessage, {connections} connection(s)", connections, duration,
                () => SqsAsync("SendMessage", new { QueueUrl = queue, MessageBody = "{\"hello\":\"world\"}" }, cancellationToken)));
        }

        Console.Error.WriteLine($"  ReceiveMessage + DeleteMessage, 1 connection, {duration.TotalSeconds:F0} s…");
        results.Add(await LoadAsync("ReceiveMessage + DeleteMessage (1 message), 1 connection", 1, duration, async () =>
        {
            using var received = JsonDocument.Parse(await SqsAsync("ReceiveMessage", new { QueueUrl = queue, MaxNumberOfMessages = 1 }, cancellationToken));
            if (received.RootElement.TryGetProperty("Messages", out var messages) && messages.GetArrayLength() > 0)
            {
                await SqsAsync("DeleteMessage", new { QueueUrl = queue, ReceiptHandle = messages[0].GetProperty("ReceiptHandle").GetString() }, cancellationToken);
            }
        }));

        var destination = await CreateQueueAsync("bench-async-done", cancellationToken);
        var function = "bench-async";
        await _lambda.CreateFunctionAsync(function, PythonZip(), 1024, "app.handler", cancellationToken, "python3.11");
        await _lambda.WaitSettledAsync(function, cancellationToken);
        await _lambda.SendAsync(HttpMethod.Put, $"/2019-09-25/functions/{function}/event-invoke-config", JsonSerializer.SerializeToUtf8Bytes(new
        {
            DestinationConfig = new { OnSuccess = new { Destination = $"arn:aws:sqs:us-east-1:{Account}:bench-async-done" } },
        }), HttpStatusCode.OK, cancellationToken);

        var latencies = quick ? 5 : 50;
        Console.Error.WriteLine($"  Event invoke, accept → destination record, one at a time × {latencies}…");
        var latency = new LatencyRecorder();
        for (var i = 0; i < latencies; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await EventAsync(function, cancellationToken);
            while (true)
            {
                using var received = JsonDocument.Parse(await SqsAsync("ReceiveMessage", new { QueueUrl = destination, MaxNumberOfMessages = 1, WaitTimeSeconds = 20 }, cancellationToken));
                if (received.RootElement.TryGetProperty("Messages", out var messages) && messages.GetArrayLength() > 0)
                {
                    latency.Record(Stopwatch.GetElapsedTime(started));
                    await SqsAsync("DeleteMessage", new { QueueUrl = destination, ReceiptHandle = messages[0].GetProperty("ReceiptHandle").GetString() }, cancellationToken);
                    break;
                }
            }
        }

        results.Add(Result("Event invoke, accept → OnSuccess record received (idle)", latency, TimeSpan.Zero, 1));
        foreach (var connections in new[] { 1, 8 })
        {
            Console.Error.WriteLine($"  Event invoke accept rate, {connections} connection(s), {duration.TotalSeconds:F0} s…");
            results.Add(await LoadAsync($"Event invoke accepted (202), {connections} connection(s)", connections, duration,
                () => EventAsync(function, cancellationToken)));
        }

        return results;
    }

    private async Task<BenchResult> LoadAsync(string name, int connections, TimeSpan duration, Func<Task> operation)
    {
        await operation();
        var recorder = new LatencyRecorder();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (wall.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await operation();
                recorder.Record(Stopwatch.GetElapsedTime(started));
            }
        }));
        return Result(name, recorder, wall.Elapsed, connections);
    }

    private Task EventAsync(string function, CancellationToken cancellationToken) =>
        _lambda.SendAsync(HttpMethod.Post, $"/2015-03-31/functions/{function}/invocations", "{\"hello\":\"async\"}"u8.ToArray(), HttpStatusCode.Accepted, cancellationToken, ("X-Amz-Invocation-Type", "Event"));

    private async Task<string> CreateQueueAsync(string name, CancellationToken cancellationToken)
    {
        using var created = JsonDocument.Parse(await SqsAsync("CreateQueue", new { QueueName = name }, cancellationToken));
        return created.RootElement.GetProperty("QueueUrl").GetString()!;
    }

    private async Task<string> SqsAsync(string operation, object input, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(input);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint + "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS." + operation);
        _sqsSigner.Sign(request, body);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? text : throw new InvalidOperationException($"SQS {operation}: {(int)response.StatusCode} {text}");
    }

    private static BenchResult Result(string name, LatencyRecorder recorder, TimeSpan wall, int connections) =>
        BenchResult.From(name, recorder, wall, connections);

    private static byte[] PythonZip()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry("app.py");
            entry.ExternalAttributes = 0b110_100_100 << 16 | (0x8000 << 16);
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes("def handler(event, context):\n    return event\n"));
        }

        return buffer.ToArray();
    }
}
