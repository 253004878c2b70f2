using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>
/// Control-plane throughput: CreateFunction with a 1 MB zip, GetFunction, and ListFunctions over 1,000 functions,
/// each on a few concurrent keep-alive connections, signed with SigV4 as the SDKs sign.
/// </summary>
internal sealed class ControlPlaneScenario(ServerProcess server, bool quick)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false });
    private readonly SigV4Signer _signer = new(ServerProcess.AccessKeyId, ServerProcess.SecretAccessKey, "us-east-1", "lambda");

    public async Task<IReadOnlyList<BenchResult>> RunAsync(CancellationToken cancellationToken)
    {
        var results = new List<BenchResult>();
        var creates = quick ? 20 : 200;
        var total = quick ? 100 : 1000;
        var gets = quick ? 300 : 3000;
        var lists = quick ? 50 : 500;

        Console.Error.WriteLine($"  CreateFunction with a 1 MB zip × {creates} (4 connections)…");
        var zips = Enumerable.Range(0, creates).Select(i => Zip(1024 * 1024, i)).ToArray();
        results.Add(await MeasureAsync("CreateFunction (1 MB zip)", creates, 4, i => CreateAsync($"big-{i}", zips[i], cancellationToken), cancellationToken));

        Console.Error.WriteLine($"  filling to {total} functions…");
        var small = Zip(512, -1);
        await MeasureAsync("fill", total - creates, 8, i => CreateAsync($"small-{i}", small, cancellationToken), cancellationToken);

        Console.Error.WriteLine($"  GetFunction × {gets} (8 connections)…");
        results.Add(await MeasureAsync("GetFunction", gets, 8, i => SendAsync(HttpMethod.Get, $"/2015-03-31/functions/small-{i % (total - creates)}", null, HttpStatusCode.OK, cancellationToken), cancellationToken));

        Console.Error.WriteLine($"  ListFunctions (first page of 50, {total} functions) × {lists} (8 connections)…");
        results.Add(await MeasureAsync($"ListFunctions (page of 50 of {total})", lists, 8, _ => SendAsync(HttpMethod.Get, "/2015-03-31/functions", null, HttpStatusCode.OK, cancellationToken), cancellationToken));

        Console.Error.WriteLine($"  ListFunctions, every page of {total} functions × {lists / 10}…");
        results.Add(await MeasureAsync($"ListFunctions (all {total}, paginated)", lists / 10, 1, _ => ListAllAsync(total, cancellationToken), cancellationToken));
        return results;
    }

    private async Task ListAllAsync(int expected, CancellationToken cancellationToken)
    {
        string? marker = null;
        var seen = 0;
        do
        {
            var path = "/2015-03-31/functions" + (marker is null ? "" : "?Marker=" + Uri.EscapeDataString(marker));
            using var document = JsonDocument.Parse(await SendAsync(HttpMethod.Get, path, null, HttpStatusCode.OK, cancellationToken));
            seen += document.RootElement.GetProperty("Functions").GetArrayLength();
            marker = document.RootElement.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
        }
        while (marker is not null);
        if (seen != expected)
        {
            throw new InvalidOperationException($"ListFunctions returned {seen} functions, expected {expected}");
        }
    }

    private Task CreateAsync(string name, byte[] zip, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            FunctionName = name,
            Runtime = "provided.al2023",
            Handler = "bootstrap",
            Role = "arn:aws:iam::000000000000:role/bench",
            Code = new { ZipFile = zip },
        });
        return SendAsync(HttpMethod.Post, "/2015-03-31/functions", body, HttpStatusCode.Created, cancellationToken);
    }

    private async Task<string> SendAsync(HttpMethod method, string path, byte[]? body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, server.Endpoint + path);
        var bytes = body ?? [];
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        _signer.Sign(request, bytes);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }

    private static async Task<BenchResult> MeasureAsync(string name, int count, int connections, Func<int, Task> operation, CancellationToken cancellationToken)
    {
        var recorder = new LatencyRecorder();
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var started = Stopwatch.GetTimestamp();
                await operation(i);
                recorder.Record(Stopwatch.GetElapsedTime(started));
            }
        }));
        wall.Stop();
        return BenchResult.From(name, recorder, wall.Elapsed, connections);
    }

    /// <summary>A zip with a bootstrap and <paramref name="size"/> bytes of incompressible data, distinct per seed.</summary>
    private static byte[] Zip(int size, int seed)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var bootstrap = archive.CreateEntry("bootstrap").Open())
            {
                bootstrap.Write(Encoding.ASCII.GetBytes("#!/bin/sh\nexit 0\n"));
            }

            var data = new byte[size];
            new Random(seed).NextBytes(data);
            using var entry = archive.CreateEntry("data.bin", CompressionLevel.NoCompression).Open();
            entry.Write(data);
        }

        return buffer.ToArray();
    }
}
