using System.Diagnostics;
using System.IO.Compression;

namespace Kindling.Bench;

/// <summary>The suite's function packages: one per runtime, the same handler behaviour (echo, or hold until a release time).</summary>
internal sealed class FunctionCode(string repositoryRoot)
{
    /// <summary>A runtime the suite measures: its Lambda runtime name, a label, the zip and the handler.</summary>
    internal sealed record Package(string Label, string Runtime, string Handler, byte[] Zip);

    /// <summary>The echo package of each runtime, skipping the .NET one when its build is missing.</summary>
    public IEnumerable<Package> Echoes()
    {
        yield return AotEcho();
        yield return PythonEcho();
        yield return NodeEcho();
        if (DotnetEcho() is { } dotnet)
        {
            yield return dotnet;
        }
    }

    /// <summary>The NativeAOT test bootstrap (<c>./kindling test</c> builds it): echoes the event.</summary>
    public Package AotEcho()
    {
        var path = Path.Combine(repositoryRoot, "artifacts", "test-bootstraps", "aot", "bootstrap");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("the NativeAOT test bootstrap is missing: `./kindling test` builds it", path);
        }

        return new("provided (NativeAOT)", "provided.al2023", "bootstrap", Zip(new() { ["bootstrap"] = File.ReadAllBytes(path) }, "bootstrap"));
    }

    public static Package PythonEcho() =>
        new("python3.11", "python3.11", "app.handler", Zip(new() { ["app.py"] = "def handler(event, context):\n    return event\n"u8.ToArray() }));

    /// <summary>bench/peer/handler.js, the file the peer and the floor serve.</summary>
    public Package NodeEcho() =>
        new("nodejs20.x", "nodejs20.x", "index.handler", Zip(new() { ["index.js"] = File.ReadAllBytes(Path.Combine(repositoryRoot, "bench", "peer", "handler.js")) }));

    public Package? DotnetEcho()
    {
        var directory = Path.Combine(repositoryRoot, "artifacts", "test-bootstraps", "conformance-dotnet");
        if (!Directory.Exists(directory))
        {
            Console.Error.WriteLine("  dotnet10: artifacts/test-bootstraps/conformance-dotnet missing (./kindling test builds it), skipped");
            return null;
        }

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes);
        return new("dotnet10", "dotnet10", "Conformance::Conformance.Functions::Echo", Zip(files));
    }

    /// <summary>
    /// Python: notes its start, sleeps until the event's "release" (ms since the epoch), answers {"env":…,"start":…,"end":…}.
    /// The environment's id is random bytes from <c>os</c> (loaded with the interpreter): <c>import uuid</c> would add
    /// ~15 ms of the handler's own imports (platform, re, enum) to every environment, which measures Python, not the
    /// platform's scale-up.
    /// </summary>
    public static Package PythonHold() => new("python3.11", "python3.11", "app.handler", Zip(new()
    {
        ["app.py"] = """
            import os
            import time

            ENV = os.urandom(16).hex()

            def handler(event, context):
                start = time.time() * 1000
                left = event.get("release", 0) / 1000 - time.time()
                if left > 0:
                    time.sleep(left)
                return {"env": ENV, "start": start, "end": time.time() * 1000}

            """u8.ToArray(),
    }));

    /// <summary>bench/hold-bootstrap/bootstrap.c compiled with the host's C compiler: the same behaviour as <see cref="PythonHold"/>.</summary>
    public Package ProvidedHold()
    {
        var source = Path.Combine(repositoryRoot, "bench", "hold-bootstrap", "bootstrap.c");
        var output = Path.Combine(Path.GetTempPath(), $"kindling-bench-hold-{Environment.ProcessId}");
        var info = new ProcessStartInfo("cc") { ArgumentList = { "-O2", "-o", output, source }, RedirectStandardError = true };
        using (var compiler = Process.Start(info) ?? throw new InvalidOperationException("could not start cc"))
        {
            var errors = compiler.StandardError.ReadToEnd();
            compiler.WaitForExit();
            if (compiler.ExitCode != 0)
            {
                throw new InvalidOperationException("cc bench/hold-bootstrap/bootstrap.c failed: " + errors);
            }
        }

        var bytes = File.ReadAllBytes(output);
        File.Delete(output);
        return new("provided (C)", "provided.al2023", "bootstrap", Zip(new() { ["bootstrap"] = bytes }, "bootstrap"));
    }

    /// <summary>A zip of <paramref name="files"/>; <paramref name="executables"/> get mode 0755, the others 0644.</summary>
    internal static byte[] Zip(Dictionary<string, byte[]> files, params string[] executables)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = archive.CreateEntry(name);
                entry.ExternalAttributes = (executables.Contains(name) ? 0b111_101_101 : 0b110_100_100) << 16 | (0x8000 << 16);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
