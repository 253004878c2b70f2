using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class NetworkTests(SandboxFixture fixture)
{
    /// <summary>Connects to 127.0.0.1:9001, sends the argument and a newline, prints the line it gets back.</summary>
    private const string Client =
        "import socket,sys\n"
        + "s = socket.create_connection(('127.0.0.1', 9001), timeout=20)\n"
        + "s.sendall(sys.argv[1].encode() + b'\\n')\n"
        + "print(s.makefile().readline(), end='')\n";

    [Fact]
    public async Task LaunchAsync_ConnectToHostLoopback_IsRefused()
    {
        using var hostListener = new TcpListener(IPAddress.Loopback, 0);
        hostListener.Start();
        var port = ((IPEndPoint)hostListener.LocalEndpoint).Port;
        var script = "import socket\n"
            + "print(socket.if_nameindex())\n"
            + "try:\n"
            + $"    socket.create_connection(('127.0.0.1', {port.ToString(CultureInfo.InvariantCulture)}), timeout=5)\n"
            + "    print('connected')\n"
            + "except OSError as e:\n"
            + "    print(e.errno)\n";
        var spec = fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", script] };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("[(1, 'lo')]\n111\n", output); // ECONNREFUSED: nothing listens in the sandbox's own loopback.
        Assert.False(hostListener.Pending());
    }

    [Fact]
    public async Task RuntimeApiListener_ClientInside_IsAccepted()
    {
        var spec = fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", Client, "ping"] };
        await using var sandbox = await fixture.Launcher.LaunchAsync(spec, CancellationToken.None);
        using var timeout = new CancellationTokenSource(SandboxAssert.Deadline);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9001), sandbox.RuntimeApiListener.LocalEndPoint);
        using (var connection = await sandbox.RuntimeApiListener.AcceptAsync(timeout.Token))
        {
            Assert.Equal("ping", await ReadLineAsync(connection, timeout.Token));
            await connection.SendAsync("pong\n"u8.ToArray(), timeout.Token);
        }

        Assert.Equal("pong\n", await new StreamReader(sandbox.Output).ReadToEndAsync(timeout.Token));
        Assert.Equal(0, (await sandbox.Exited.WaitAsync(timeout.Token)).ExitCode);
    }

    [Fact]
    public async Task RuntimeApiListener_TwoSandboxes_EachServesItsOwnPort9001()
    {
        await using var first = await fixture.Launcher.LaunchAsync(
            fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", Client, "first"] }, CancellationToken.None);
        await using var second = await fixture.Launcher.LaunchAsync(
            fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", Client, "second"] }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(SandboxAssert.Deadline);

        using var fromSecond = await second.RuntimeApiListener.AcceptAsync(timeout.Token);
        using var fromFirst = await first.RuntimeApiListener.AcceptAsync(timeout.Token);

        Assert.Equal("second", await ReadLineAsync(fromSecond, timeout.Token));
        Assert.Equal("first", await ReadLineAsync(fromFirst, timeout.Token));
    }

    private static async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (await socket.ReceiveAsync(buffer, cancellationToken) == 1 && buffer[0] != '\n')
        {
            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }
}
