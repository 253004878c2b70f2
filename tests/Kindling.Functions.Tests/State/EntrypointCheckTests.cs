using Kindling.Functions.State;

namespace Kindling.Functions.Tests.State;

public sealed class EntrypointCheckTests
{
    private static readonly IReadOnlyList<IReadOnlySet<string>> NoLayers = [];

    private static HashSet<string> Files(params string[] names) => new(names, StringComparer.Ordinal);

    [Theory]
    [InlineData("provided")]
    [InlineData("provided.al2")]
    [InlineData("provided.al2023")]
    public void Find_CustomRuntimeWithBootstrapInTask_ReturnsNull(string runtime)
    {
        Assert.Null(EntrypointCheck.Find(runtime, "ignored", Files("bootstrap"), NoLayers));
    }

    [Fact]
    public void Find_CustomRuntimeWithBootstrapInLayer_ReturnsNull()
    {
        Assert.Null(EntrypointCheck.Find("provided.al2023", "ignored", Files("main.go"), [Files("lib.so"), Files("bootstrap")]));
    }

    [Fact]
    public void Find_CustomRuntimeWithoutHandler_StillOnlyNeedsBootstrap()
    {
        Assert.Null(EntrypointCheck.Find("provided.al2", null, Files("bootstrap"), NoLayers));
    }

    [Fact]
    public void Find_CustomRuntimeWithoutBootstrap_ReturnsReason()
    {
        Assert.Equal(
            "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
            EntrypointCheck.Find("provided.al2023", "bootstrap", Files("bin/bootstrap", "Bootstrap"), [Files("lib/bootstrap")]));
    }

    [Fact]
    public void Find_NoRuntime_ReturnsNull()
    {
        Assert.Null(EntrypointCheck.Find(null, null, Files(), NoLayers));
    }

    [Fact]
    public void Find_ManagedRuntimeWithoutHandler_ReturnsReason()
    {
        Assert.Equal("The handler is missing.", EntrypointCheck.Find("python3.12", null, Files("app.py"), NoLayers));
    }

    [Theory]
    [InlineData("app.handler", "app.py")]
    [InlineData("pkg.mod.handler", "pkg/mod.py")]
    [InlineData("pkg.handler", "pkg/__init__.py")]
    [InlineData("src/app.handler", "src/app.py")]
    public void Find_PythonModuleInTask_ReturnsNull(string handler, string file)
    {
        Assert.Null(EntrypointCheck.Find("python3.12", handler, Files(file), NoLayers));
    }

    [Theory]
    [InlineData("python/app.py")]
    [InlineData("python/lib/python3.12/site-packages/app.py")]
    public void Find_PythonModuleInLayer_ReturnsNull(string layerFile)
    {
        Assert.Null(EntrypointCheck.Find("python3.12", "app.handler", Files(), [Files(layerFile)]));
    }

    [Fact]
    public void Find_PythonModuleInOtherVersionsSitePackages_ReturnsReason()
    {
        Assert.Equal(
            "Unable to import module 'app': No module named 'app'",
            EntrypointCheck.Find("python3.12", "app.handler", Files(), [Files("python/lib/python3.11/site-packages/app.py")]));
    }

    [Fact]
    public void Find_PythonModuleMissing_ReturnsReason()
    {
        Assert.Equal(
            "Unable to import module 'pkg.mod': No module named 'pkg.mod'",
            EntrypointCheck.Find("python3.13", "pkg.mod.handler", Files("mod.py", "pkg/other.py"), NoLayers));
    }

    [Fact]
    public void Find_PythonHandlerWithoutDot_LeftToTheRuntime()
    {
        // AWS creates the function; the runtime answers Runtime.MalformedHandlerName at invoke.
        Assert.Null(EntrypointCheck.Find("python3.12", "handler", Files("handler.py"), NoLayers));
    }

    [Theory]
    [InlineData("index.js")]
    [InlineData("index.mjs")]
    [InlineData("index.cjs")]
    public void Find_NodeModuleInTask_ReturnsNull(string file)
    {
        Assert.Null(EntrypointCheck.Find("nodejs22.x", "index.handler", Files(file), NoLayers));
    }

    [Theory]
    [InlineData("nodejs/node_modules/index.js")]
    [InlineData("nodejs/index.mjs")]
    public void Find_NodeModuleInLayer_ReturnsNull(string layerFile)
    {
        Assert.Null(EntrypointCheck.Find("nodejs20.x", "index.handler", Files(), [Files(layerFile)]));
    }

    [Fact]
    public void Find_NodeModuleInSubdirectory_ReturnsNull()
    {
        Assert.Null(EntrypointCheck.Find("nodejs22.x", "src/app.handler", Files("src/app.mjs"), NoLayers));
    }

    [Fact]
    public void Find_NodeModuleMissing_ReturnsReason()
    {
        Assert.Equal(
            "Cannot find module 'index'",
            EntrypointCheck.Find("nodejs22.x", "index.handler", Files("index.ts", "app.js"), NoLayers));
    }

    [Theory]
    [InlineData("index")]
    [InlineData("../index.handler")]
    [InlineData(".handler")]
    public void Find_NodeMalformedHandler_LeftToTheRuntime(string handler)
    {
        // AWS creates the function; the runtime answers Runtime.MalformedHandlerName at invoke.
        Assert.Null(EntrypointCheck.Find("nodejs22.x", handler, Files("index.js"), NoLayers));
    }

    [Theory]
    [InlineData("app.a.b", "app.js")]
    [InlineData("src/app.nested.handler", "src/app.mjs")]
    [InlineData("v1.0/app.handler", "v1.0/app.js")]
    public void Find_NodeNestedExport_ModuleEndsAtFirstDotAfterLastSlash(string handler, string file)
    {
        Assert.Null(EntrypointCheck.Find("nodejs20.x", handler, Files(file), NoLayers));
        Assert.NotNull(EntrypointCheck.Find("nodejs20.x", handler, Files("other.js"), NoLayers));
    }

    [Fact]
    public void Find_DotnetAssemblyPresent_ReturnsNull()
    {
        Assert.Null(EntrypointCheck.Find("dotnet8", "MyApp::MyApp.Function::Handler", Files("MyApp.dll"), NoLayers));
    }

    [Fact]
    public void Find_DotnetAssemblyMissing_ReturnsReason()
    {
        Assert.Equal(
            "Could not find the specified handler assembly with the file name 'MyApp'.",
            EntrypointCheck.Find("dotnet8", "MyApp::MyApp.Function::Handler", Files("Other.dll"), NoLayers));
    }

    [Fact]
    public void Find_RuntimeWithoutCheck_ReturnsNull()
    {
        Assert.Null(EntrypointCheck.Find("java21", "example.Handler::handleRequest", Files(), NoLayers));
    }
}
