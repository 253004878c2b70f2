using Kindling.Worker.Logs;

namespace Kindling.Worker.Tests.Logs;

public sealed class LogStreamWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-logstream-tests-").FullName;

    [Fact]
    public void WriteLine_FirstLine_CreatesTheStreamFile()
    {
        var path = Path.Combine(_directory, "stream");
        using var writer = new LogStreamWriter(path, "stream", TimeProvider.System);
        var before = File.Exists(path);

        writer.WriteLine("INIT_START Runtime Version: provided:al2023", flush: true);

        Assert.False(before);
        Assert.EndsWith("\tINIT_START Runtime Version: provided:al2023\n", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteLine_FileCannotBeCreated_DropsTheLinesButKeepsTheTail()
    {
        using var writer = new LogStreamWriter(Path.Combine(_directory, "missing", "stream"), "stream", TimeProvider.System);
        writer.BeginTail();

        writer.WriteLine("START RequestId: 1", flush: true);
        writer.WriteOutput("from the runtime\n"u8);

        Assert.Equal("START RequestId: 1\nfrom the runtime\n", writer.EndTail());
        Assert.False(Directory.Exists(Path.Combine(_directory, "missing")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
