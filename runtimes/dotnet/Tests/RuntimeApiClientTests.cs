using System.Net;
using System.Net.Sockets;
using System.Text;
using Kindling.Runtime.Dotnet.RuntimeApi;

namespace Kindling.Runtime.Dotnet.Tests;

public sealed class RuntimeApiClientTests
{
    [Fact]
    public async Task Next_ChunkedThenPost_ParsesHeadersBodyAndReusesConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var requests = new StringBuilder();
        var server = Task.Run(async () =>
        {
            using var connection = await listener.AcceptTcpClientAsync();
            var stream = connection.GetStream();
            var buffer = new byte[4096];
            requests.Append(Encoding.ASCII.GetString(buffer, 0, await ReadRequestAsync(stream, buffer)));
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-1\r\nLAMBDA-RUNTIME-DEADLINE-MS: 1700000000000\r\n" +
                "Lambda-Runtime-Trace-Id: Root=1-x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n"));
            requests.Append(Encoding.ASCII.GetString(buffer, 0, await ReadRequestAsync(stream, buffer)));
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{\"status\":\"OK\"}"));
        });

        using var client = new RuntimeApiClient("127.0.0.1:" + port);
        var invocation = await Task.Run(client.Next);
        Assert.Equal("req-1", invocation.RequestId);
        Assert.Equal(1700000000000, invocation.DeadlineMs);
        Assert.Equal("Root=1-x", invocation.TraceId);
        Assert.Equal("{\"a\": 1}", Encoding.UTF8.GetString(invocation.Body));
        await Task.Run(() => client.PostResponse("req-1", "\"ok\""u8));
        await server;
        Assert.Contains("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n", requests.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: 127.0.0.1:" + port +
            "\r\nUser-Agent: kindling-dotnet-runtime\r\nContent-Length: 4\r\nContent-Type: application/json\r\n\r\n\"ok\"", requests.ToString(), StringComparison.Ordinal);
    }

    private static async Task<int> ReadRequestAsync(NetworkStream stream, byte[] buffer)
    {
        var total = 0;
        while (true)
        {
            total += await stream.ReadAsync(buffer.AsMemory(total));
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && (!text.StartsWith("POST", StringComparison.Ordinal) || total >= end + 4 + 4))
            {
                return total;
            }
        }
    }
}
