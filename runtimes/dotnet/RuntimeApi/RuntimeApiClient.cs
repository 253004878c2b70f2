using System.Text;

namespace Kindling.Runtime.Dotnet.RuntimeApi;

/// <summary>
/// A minimal HTTP/1.1 client for the Runtime API over one keep-alive socket. Blocking calls on the main thread, like
/// the invoke loop itself: HttpClient's start-up (handler pipeline, connection pool, async machinery) costs tens of
/// milliseconds of JIT and CPU on a fraction of a core, and the loop needs four request shapes.
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string Prefix = "/2018-06-01/runtime";
    private readonly string _host;
    private readonly int _port;
    private readonly HttpResponseReader _reader = new();
    private RawSocket? _socket;

    public RuntimeApiClient(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        _host = colon < 0 ? endpoint : endpoint[..colon];
        _port = colon < 0 ? 80 : Ascii.ParseInt(endpoint.AsSpan(colon + 1));
        HostHeader = endpoint;
    }

    private string HostHeader { get; }

    /// <summary>Waits for the next invocation (the long poll has no timeout).</summary>
    public InvocationRequest Next()
    {
        var response = Send("GET", Prefix + "/invocation/next", ReadOnlySpan<byte>.Empty, contentType: null, errorType: null);
        if (response.Status != 200)
        {
            throw new InvalidOperationException($"Runtime API answered {response.Status} to next: {Encoding.UTF8.GetString(response.Body)}");
        }

        return new InvocationRequest(response.Headers, response.Body);
    }

    /// <summary>Posts the invocation's response.</summary>
    public void PostResponse(string requestId, ReadOnlySpan<byte> body) =>
        Send("POST", Prefix + "/invocation/" + requestId + "/response", body, "application/json", errorType: null);

    /// <summary>Posts the invocation's error document.</summary>
    public void PostError(string requestId, string errorType, ReadOnlySpan<byte> body) =>
        Send("POST", Prefix + "/invocation/" + requestId + "/error", body, "application/json", errorType);

    /// <summary>Posts an initialization error.</summary>
    public void PostInitError(string errorType, ReadOnlySpan<byte> body) =>
        Send("POST", Prefix + "/init/error", body, "application/json", errorType);

    public void Dispose() => _socket?.Dispose();

    private HttpResponse Send(string method, string path, ReadOnlySpan<byte> body, string? contentType, string? errorType)
    {
        var head = new StringBuilder(256)
            .Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: ").Append(HostHeader).Append("\r\n")
            .Append("User-Agent: kindling-dotnet-runtime\r\n");
        if (method == "POST")
        {
            head.Append("Content-Length: ").Append(Ascii.Format(body.Length)).Append("\r\n");
        }

        if (contentType is not null)
        {
            head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        }

        if (errorType is not null)
        {
            head.Append("Lambda-Runtime-Function-Error-Type: ").Append(errorType).Append("\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());

        // A kept-alive connection may have been closed by the server while the environment was frozen: one retry on a
        // fresh connection when nothing of the response had arrived.
        for (var attempt = 0; ; attempt++)
        {
            var reused = _socket is not null;
            try
            {
                var socket = _socket ??= Connect();
                socket.SendAll(headBytes);
                if (!body.IsEmpty)
                {
                    socket.SendAll(body);
                }

                var response = _reader.Read(socket);
                if (response.Close)
                {
                    DropConnection();
                }

                return response;
            }
            catch (IOException) when (reused && attempt == 0)
            {
                DropConnection();
            }
        }
    }

    private RawSocket Connect()
    {
        Span<byte> address = stackalloc byte[4];
        if (!Ascii.TryParseIPv4(_host, address))
        {
            ResolveHost(_host, address);
        }

        var socket = RawSocket.Connect(address, _port);
        _reader.Reset();
        return socket;
    }

    // Lambda's Runtime API address is an IPv4 literal; a name (a test harness's "localhost") takes the DNS path.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ResolveHost(string host, Span<byte> address)
    {
        var resolved = System.Net.Dns.GetHostAddresses(host).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        resolved.TryWriteBytes(address, out _);
    }

    private void DropConnection()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
