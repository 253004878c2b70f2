using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kindling.Bench;

/// <summary>A Kindling server started by the benchmark on a free loopback port with a fresh data directory.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string endpoint, string dataDirectory, TimeSpan startup)
    {
        _process = process;
        Endpoint = endpoint;
        DataDirectory = dataDirectory;
        Startup = startup;
    }

    public string Endpoint { get; }
    public string DataDirectory { get; }
    public TimeSpan Startup { get; }
    public const string AccessKeyId = "AKIABENCHMARK0000000";
    public const string SecretAccessKey = "benchmark-secret-access-key-0000000000000";

    /// <summary>The server's process id: its sandboxes' control groups are under <c>kindling/&lt;pid&gt;/</c>.</summary>
    public int ProcessId => _process.Id;

    public static async Task<ServerProcess> StartAsync(string binary, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var dataDirectory = Directory.CreateTempSubdirectory("kindling-bench-").FullName;
        var info = new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                "server", "--listen", $"127.0.0.1:{port}", "--data-dir", dataDirectory,
                "--access-key-id", AccessKeyId, "--secret-access-key", SecretAccessKey,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in extraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + binary);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Kindling is ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("server: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new ServerProcess(process, $"http://127.0.0.1:{port}", dataDirectory, clock.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the server shuts its environments down and unmounts their /tmp volumes. Hundreds of
            // environments on a busy 2-core host take tens of seconds.
            _ = Kill(_process.Id, 15);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"the server (pid {_process.Id}) did not stop within 120 s of SIGTERM; killed");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        UnmountLeftovers();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"could not remove {DataDirectory}: {ex.Message}");
        }
    }

    /// <summary>
    /// A server killed before it finished shutting down leaves its environments' /tmp volumes mounted under the
    /// data directory: detach them (their loop devices are auto-clearing, so they go too).
    /// </summary>
    private void UnmountLeftovers()
    {
        var prefix = DataDirectory.TrimEnd('/') + "/";
        var leftovers = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(point => point.Length)
            .ToList();
        foreach (var point in leftovers)
        {
            if (Unmount(point, 2) != 0)
            {
                Console.Error.WriteLine($"could not unmount {point}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
        }

        if (leftovers.Count > 0)
        {
            Console.Error.WriteLine($"unmounted {leftovers.Count} volumes the server left under {DataDirectory} ({string.Join(", ", leftovers.Take(3).Select(Path.GetFileName))}…)");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Unmount(string target, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
