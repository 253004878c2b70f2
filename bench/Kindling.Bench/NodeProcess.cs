using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kindling.Bench;

/// <summary>
/// A Node.js process the suite compares Kindling with, on a free loopback port: the peer (serverless-offline's
/// Lambda invoke endpoint) or the floor (the handler behind a plain node http server).
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, string endpoint, TimeSpan startup)
    {
        _process = process;
        Endpoint = endpoint;
        Startup = startup;
    }

    public string Endpoint { get; }
    public TimeSpan Startup { get; }

    /// <summary>The name serverless-offline gives the function of bench/peer/serverless.yml (service-stage-function).</summary>
    public const string PeerFunctionName = "kindling-bench-peer-dev-echo";

    /// <summary>serverless-offline from bench/peer (its node_modules installed with <c>npm ci</c>).</summary>
    public static Task<NodeProcess> StartPeerAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(repositoryRoot, "bench", "peer");
        var cli = Path.Combine(directory, "node_modules", "serverless", "bin", "serverless.js");
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException($"the peer is not installed: run `npm ci` in {directory}", cli);
        }

        var port = FreePort();
        var info = new ProcessStartInfo("node") { WorkingDirectory = directory };
        foreach (var argument in new[]
        {
            cli, "offline", "start", "--host", "127.0.0.1", "--lambdaPort", Port(port), "--httpPort", Port(FreePort()),
            "--websocketPort", Port(FreePort()), "--albPort", Port(FreePort()),
        })
        {
            info.ArgumentList.Add(argument);
        }

        // No telemetry, update notices or deprecation prompts: the peer must not reach out or wait for input.
        info.Environment["SLS_TELEMETRY_DISABLED"] = "1";
        info.Environment["SLS_NOTIFICATIONS_MODE"] = "off";
        info.Environment["SLS_DEPRECATION_DISABLE"] = "*";
        info.Environment["SLS_INTERACTIVE_SETUP_DISABLE"] = "1";
        return StartAsync(info, $"listening on http://127.0.0.1:{port}", port, TimeSpan.FromSeconds(120), cancellationToken);
    }

    /// <summary>bench/floor/server.js: the handler behind node's http module, nothing else.</summary>
    public static Task<NodeProcess> StartFloorAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("node") { ArgumentList = { Path.Combine(repositoryRoot, "bench", "floor", "server.js"), Port(port) } };
        return StartAsync(info, $"floor listening on {port}", port, TimeSpan.FromSeconds(30), cancellationToken);
    }

    private static async Task<NodeProcess> StartAsync(ProcessStartInfo info, string readyLine, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            if (e.Data.Contains(readyLine, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("node exited before it was ready:\n" + string.Join('\n', output)));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(timeout, cancellationToken);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        return new NodeProcess(process, $"http://127.0.0.1:{port}", clock.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
