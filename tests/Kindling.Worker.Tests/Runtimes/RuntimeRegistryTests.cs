using Kindling.Worker.Runtimes;

namespace Kindling.Worker.Tests.Runtimes;

public sealed class RuntimeRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kindling-registry-").FullName;

    // Interpreters outside /usr must be reachable by the sandboxes' user: the temporary directory is made public.
    public RuntimeRegistryTests() => File.SetUnixFileMode(_root, File.GetUnixFileMode(_root) | UnixFileMode.OtherExecute);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task DiscoverAsync_HostPython_MappedToItsIdentifierWithManifest()
    {
        var runtimes = WriteManifest("python", """{"command":["{interpreter}","/var/runtime/bootstrap.py"],"environment":{"A":"b"}}""");
        var bin = FakeInterpreter("bin", "python3.10", "echo 'Python 3.10.14'");

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, bin));

        var python = Assert.Single(registry.Runtimes);
        Assert.Equal("python3.10", python.Identifier);
        Assert.Equal("python", python.Family);
        Assert.Equal("3.10.14", python.Version);
        Assert.Equal(Path.Combine(bin, "python3.10"), python.Interpreter);
        Assert.Equal(Path.Combine(runtimes, "python"), python.RuntimeDirectory);
        Assert.False(python.Configured);
        Assert.Equal(["{interpreter}", "/var/runtime/bootstrap.py"], python.Manifest.Command);
    }

    [Fact]
    public async Task DiscoverAsync_NodeMajorVersion_NamesNodejsIdentifier()
    {
        var runtimes = WriteManifest("nodejs", """{"command":["{interpreter}","/var/runtime/index.mjs"]}""");
        var bin = FakeInterpreter("bin", "node", "echo v22.3.1");

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, bin));

        var node = Assert.Single(registry.Runtimes);
        Assert.Equal("nodejs22.x", node.Identifier);
        Assert.Equal("22.3.1", node.Version);
    }

    [Fact]
    public async Task DiscoverAsync_DotnetRoot_OneRuntimePerMajorNewestVersion()
    {
        var runtimes = WriteManifest("dotnet", """{"command":["{interpreter}","exec","/var/runtime/Kindling.Runtime.Dotnet.dll"]}""");
        var dotnet = Path.Combine(_root, "dotnet");
        FakeInterpreter("dotnet", "dotnet", "exit 0");
        foreach (var version in new[] { "8.0.5", "8.0.11", "10.0.2" })
        {
            Directory.CreateDirectory(Path.Combine(dotnet, "shared", "Microsoft.NETCore.App", version));
        }

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, Path.Combine(_root, "none")) with { DotnetRoots = [dotnet] });

        Assert.Equal(["dotnet10", "dotnet8"], registry.Runtimes.Select(r => r.Identifier));
        Assert.Equal(["10.0.2", "8.0.11"], registry.Runtimes.Select(r => r.Version));
        Assert.All(registry.Runtimes, r => Assert.Equal(Path.Combine(dotnet, "dotnet"), r.Interpreter));
    }

    [Fact]
    public async Task DiscoverAsync_NoRuntimeClient_LeftOutWithProblem()
    {
        var bin = FakeInterpreter("bin", "python3.12", "echo 'Python 3.12.1'");

        var registry = await RuntimeRegistry.DiscoverAsync(Options(Path.Combine(_root, "runtimes"), bin));

        Assert.Empty(registry.Runtimes);
        Assert.Contains(registry.Problems, p => p.Contains("runtime.json missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DiscoverAsync_ConfiguredInterpreterOfOtherVersion_RefusedWithProblem()
    {
        var runtimes = WriteManifest("python", """{"command":["{interpreter}"]}""");
        var bin = FakeInterpreter("other", "python3", "echo 'Python 3.9.2'");

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, Path.Combine(_root, "none")) with
        {
            Interpreters = new Dictionary<string, string> { ["python3.12"] = Path.Combine(bin, "python3") },
        });

        Assert.Empty(registry.Runtimes);
        Assert.Contains($"runtimes: python3.12: {Path.Combine(bin, "python3")} is python3.9 (3.9.2).", registry.Problems);
    }

    [Fact]
    public async Task DiscoverAsync_ConfiguredInterpreter_ReplacesDiscoveredOne()
    {
        var runtimes = WriteManifest("python", """{"command":["{interpreter}"]}""");
        var bin = FakeInterpreter("bin", "python3.12", "echo 'Python 3.12.1'");
        var other = FakeInterpreter("custom", "python", "echo 'Python 3.12.7'");

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, bin) with
        {
            Interpreters = new Dictionary<string, string> { ["python3.12"] = Path.Combine(other, "python") },
        });

        var python = Assert.Single(registry.Runtimes);
        Assert.True(python.Configured);
        Assert.Equal("3.12.7", python.Version);
        Assert.Equal(Path.Combine(other, "python"), python.Interpreter);
    }

    [Fact]
    public async Task DiscoverAsync_InterpreterOutsideUsr_InstallationBoundReadOnly()
    {
        var runtimes = WriteManifest("python", """{"command":["{interpreter}"]}""");
        var bin = FakeInterpreter(Path.Combine("py", "bin"), "python3.13", "echo 'Python 3.13.0'");

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, bin));

        Assert.Equal([Path.Combine(_root, "py")], Assert.Single(registry.Runtimes).ExtraReadOnlyPaths);
    }

    [Fact]
    public async Task DiscoverAsync_InterpreterUnderPrivateDirectory_LeftOutWithProblem()
    {
        var runtimes = WriteManifest("python", """{"command":["{interpreter}"]}""");
        var bin = FakeInterpreter(Path.Combine("private", "bin"), "python3.13", "echo 'Python 3.13.0'");
        File.SetUnixFileMode(Path.Combine(_root, "private"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var registry = await RuntimeRegistry.DiscoverAsync(Options(runtimes, bin));

        Assert.Empty(registry.Runtimes);
        Assert.Contains(registry.Problems, p => p.Contains("not reachable by the sandboxes' unprivileged user", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseInterpreters_JsonAndList_SameMapping()
    {
        var json = RuntimeRegistryOptions.ParseInterpreters("""{"python3.12": "/opt/p/bin/python3.12", "nodejs22.x": "/opt/n/bin/node"}""");
        var list = RuntimeRegistryOptions.ParseInterpreters("python3.12=/opt/p/bin/python3.12, nodejs22.x=/opt/n/bin/node");

        Assert.Equal(json, list);
        Assert.Equal("/opt/n/bin/node", list["nodejs22.x"]);
        Assert.Empty(RuntimeRegistryOptions.ParseInterpreters(null));
    }

    [Fact]
    public void ParseInterpreters_EntryWithoutPath_FormatException()
    {
        var error = Assert.Throws<FormatException>(() => RuntimeRegistryOptions.ParseInterpreters("python3.12"));

        Assert.StartsWith("runtimes: \"python3.12\" is not identifier=path", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"command":[]}""")]
    [InlineData("""{"command":"python"}""")]
    [InlineData("""{"command":["a", 1]}""")]
    [InlineData("""{"command":["a"],"environment":{"X":1}}""")]
    [InlineData("""not json""")]
    [InlineData("""{"command":["a"],"prestart":{"command":[]}}""")]
    [InlineData("""{"command":["a"],"prestart":{"command":["a"]}}""")]
    [InlineData("""{"command":["a"],"prestart":{"command":["a"],"startupVariables":[1]}}""")]
    public void ManifestRead_Malformed_InvalidData(string text)
    {
        var path = Path.Combine(_root, "runtime.json");
        File.WriteAllText(path, text);

        Assert.Throws<InvalidDataException>(() => RuntimeManifest.Read(path));
    }

    [Fact]
    public void LaunchCreate_Placeholders_FilledFromMemory()
    {
        var runtime = new ManagedRuntime
        {
            Identifier = "nodejs20.x",
            Family = "nodejs",
            Interpreter = "/usr/bin/node",
            Version = "20.1.0",
            RuntimeDirectory = "/r",
            Manifest = new RuntimeManifest
            {
                Command = ["{interpreter}", "--max-old-space-size={heapMb}", "/var/runtime/index.mjs"],
                Environment = new Dictionary<string, string> { ["LIMIT"] = "0x{memoryBytesHex}", ["DIR"] = "{interpreterDir}", ["MB"] = "{memoryMb}" },
            },
        };

        var launch = RuntimeLaunch.Create(runtime, 512);

        Assert.Equal(["/usr/bin/node", "--max-old-space-size=460", "/var/runtime/index.mjs"], launch.Command);
        Assert.Equal("0x20000000", launch.Environment["LIMIT"]);
        Assert.Equal("/usr/bin", launch.Environment["DIR"]);
        Assert.Equal("512", launch.Environment["MB"]);
    }

    [Fact]
    public void ManifestRead_Prestart_CommandFilledAndStartupVariablesMatched()
    {
        var path = Path.Combine(_root, "runtime.json");
        File.WriteAllText(path, """
            {"command":["{interpreter}","/var/runtime/index.js"],
             "prestart":{"command":["{interpreter}","--max-old-space-size={heapMb}","/var/runtime/prestart.js"],"startupVariables":["NODE_*","LANG"]}}
            """);
        var manifest = RuntimeManifest.Read(path);
        var runtime = new ManagedRuntime
        {
            Identifier = "nodejs20.x", Family = "nodejs", Interpreter = "/usr/bin/node", Version = "20.1.0", RuntimeDirectory = "/r", Manifest = manifest,
        };

        var launch = RuntimeLaunch.Create(runtime, 512);

        Assert.Equal(["/usr/bin/node", "--max-old-space-size=460", "/var/runtime/prestart.js"], launch.PrestartCommand);
        Assert.True(manifest.Prestart!.IsStartupVariable("NODE_OPTIONS"));
        Assert.True(manifest.Prestart.IsStartupVariable("LANG"));
        Assert.False(manifest.Prestart.IsStartupVariable("LANGUAGE"));
        Assert.False(manifest.Prestart.IsStartupVariable("MY_NODE_X"));
    }

    [Theory]
    [InlineData("python3.12", "python")]
    [InlineData("nodejs20.x", "nodejs")]
    [InlineData("dotnet8", "dotnet")]
    [InlineData("dotnetcore3.1", null)]
    [InlineData("java21", null)]
    [InlineData("nodejs", null)]
    public void FamilyOf_Identifier_Family(string identifier, string? family) => Assert.Equal(family, RuntimeRegistry.FamilyOf(identifier));

    private RuntimeRegistryOptions Options(string runtimes, string searchPath) => new()
    {
        RuntimesDirectory = runtimes,
        SearchPaths = [searchPath],
        DotnetRoots = [],
    };

    private string WriteManifest(string family, string json)
    {
        var directory = Path.Combine(_root, "runtimes", family);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, RuntimeManifest.FileName), json);
        return Path.Combine(_root, "runtimes");
    }

    private string FakeInterpreter(string directory, string name, string body)
    {
        var bin = Path.Combine(_root, directory);
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        return bin;
    }
}
