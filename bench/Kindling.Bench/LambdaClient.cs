using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>A minimal signed Lambda API client over keep-alive HTTP, for the benchmark scenarios.</summary>
internal sealed class LambdaClient(string endpoint, int maxConnections = 256)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, UseProxy = false })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };

    private readonly SigV4Signer _signer = new(ServerProcess.AccessKeyId, ServerProcess.SecretAccessKey, "us-east-1", "lambda");

    public async Task<string> SendAsync(
        HttpMethod method, string path, byte[]? body, HttpStatusCode expected, CancellationToken cancellationToken, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, endpoint + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        _signer.Sign(request, body ?? []);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }

    public Task CreateFunctionAsync(string name, byte[] zip, int memory, string handler, CancellationToken cancellationToken, string runtime = "provided.al2023", int timeout = 30) =>
        SendAsync(HttpMethod.Post, "/2015-03-31/functions", JsonSerializer.SerializeToUtf8Bytes(new
        {
            FunctionName = name,
            Runtime = runtime,
            Handler = handler,
            Role = "arn:aws:iam::000000000000:role/bench",
            MemorySize = memory,
            Timeout = timeout,
            Code = new { ZipFile = zip },
        }), HttpStatusCode.Created, cancellationToken);

    /// <summary>Changes an environment variable (a new configuration: the next invoke is a cold start) and waits for it to settle.</summary>
    public async Task TouchConfigurationAsync(string name, int generation, CancellationToken cancellationToken)
    {
        await SendAsync(HttpMethod.Put, $"/2015-03-31/functions/{name}/configuration",
            JsonSerializer.SerializeToUtf8Bytes(new { Environment = new { Variables = new Dictionary<string, string> { ["GENERATION"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) } } }),
            HttpStatusCode.OK, cancellationToken);
        await WaitSettledAsync(name, cancellationToken);
    }

    public async Task WaitSettledAsync(string name, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var document = JsonDocument.Parse(await SendAsync(HttpMethod.Get, $"/2015-03-31/functions/{name}/configuration", null, HttpStatusCode.OK, cancellationToken));
            var root = document.RootElement;
            if (root.GetProperty("State").GetString() == "Active"
                && root.TryGetProperty("LastUpdateStatus", out var status) && status.GetString() == "Successful")
            {
                return;
            }

            await Task.Delay(5, cancellationToken);
        }

        throw new TimeoutException($"{name} did not become Active/Successful");
    }

    /// <summary>Invokes with <c>LogType: Tail</c>; returns the decoded log tail.</summary>
    public async Task<string> InvokeWithLogAsync(string name, byte[] payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoint}/2015-03-31/functions/{name}/invocations")
        {
            Content = new ByteArrayContent(payload),
        };
        request.Headers.Add("X-Amz-Log-Type", "Tail");
        _signer.Sign(request, payload);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || response.Headers.Contains("X-Amz-Function-Error"))
        {
            throw new InvalidOperationException($"invoke {name}: {(int)response.StatusCode} {text}");
        }

        return response.Headers.TryGetValues("X-Amz-Log-Result", out var values)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(values.First()))
            : string.Empty;
    }

    public Task<string> InvokeAsync(string name, byte[] payload, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations", payload, HttpStatusCode.OK, cancellationToken);

    /// <summary>
    /// Invokes and returns the status, the body and (with <paramref name="logTail"/>) the decoded log tail, without
    /// throwing on a refusal: load and scale-up scenarios count 429s rather than stop on them.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body, string Log)> InvokeRawAsync(string name, byte[] payload, bool logTail, CancellationToken cancellationToken, string? qualifier = null)
    {
        var query = qualifier is null ? "" : "?Qualifier=" + Uri.EscapeDataString(qualifier);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoint}/2015-03-31/functions/{name}/invocations{query}") { Content = new ByteArrayContent(payload) };
        if (logTail)
        {
            request.Headers.Add("X-Amz-Log-Type", "Tail");
        }

        _signer.Sign(request, payload);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = response.StatusCode == HttpStatusCode.OK && response.Headers.Contains("X-Amz-Function-Error") ? HttpStatusCode.InternalServerError : response.StatusCode;
        var log = response.Headers.TryGetValues("X-Amz-Log-Result", out var values) ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(values.First())) : string.Empty;
        return (status, text, log);
    }

    /// <summary>
    /// An invoke without a log tail (it returns when the function has answered), built and signed ahead of
    /// <see cref="SendInvokeAsync"/>: a timed send measures the server, not the client's hashing.
    /// </summary>
    public HttpRequestMessage SignedInvoke(string name, byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{endpoint}/2015-03-31/functions/{name}/invocations") { Content = new ByteArrayContent(payload) };
        _signer.Sign(request, payload);
        return request;
    }

    /// <summary>Sends an invoke made by <see cref="SignedInvoke"/>; the status is 500 when the function failed.</summary>
    public async Task<(HttpStatusCode Status, string Body, string RequestId)> SendInvokeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = response.StatusCode == HttpStatusCode.OK && response.Headers.Contains("X-Amz-Function-Error") ? HttpStatusCode.InternalServerError : response.StatusCode;
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.First() : "";
        return (status, text, requestId);
    }

    /// <summary>
    /// An invoke for load generation: the request is signed once and its signature reused (renewed every four
    /// minutes, well inside the fifteen SigV4 allows), as a load generator replaying one signed request would, so
    /// that the client's own hashing does not take the CPU the servers under test share with it. True on a 200.
    /// </summary>
    public Func<Task<bool>> PresignedInvoker(string name, byte[] payload, CancellationToken cancellationToken)
    {
        var url = $"{endpoint}/2015-03-31/functions/{name}/invocations";
        (string Date, string Authorization, long SignedAt)? signature = null;
        var gate = new Lock();

        (string Date, string Authorization) Current()
        {
            lock (gate)
            {
                if (signature is not { } current || Stopwatch.GetElapsedTime(current.SignedAt) > TimeSpan.FromMinutes(4))
                {
                    using var template = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
                    _signer.Sign(template, payload);
                    current = (template.Headers.GetValues("X-Amz-Date").Single(), template.Headers.GetValues("Authorization").Single(), Stopwatch.GetTimestamp());
                    signature = current;
                }

                return (current.Date, current.Authorization);
            }
        }

        return async () =>
        {
            var (date, authorization) = Current();
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(payload) };
            request.Headers.TryAddWithoutValidation("X-Amz-Date", date);
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return response.StatusCode == HttpStatusCode.OK && !response.Headers.Contains("X-Amz-Function-Error");
        };
    }
}
