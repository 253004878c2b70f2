using Kindling.Worker.Environments;

namespace Kindling.Worker.Tests.Environments;

public sealed class BootstrapLookupsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kindling-bootstrap-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Find_SameCodeAgain_AnswersFromTheFirstLookup()
    {
        var task = Directory.CreateDirectory(Path.Combine(_directory, "task")).FullName;
        var bootstrap = Path.Combine(task, "bootstrap");
        File.WriteAllText(bootstrap, "#!/bin/sh\n");
        File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var lookups = new BootstrapLookups();

        Assert.Equal(["/var/task/bootstrap"], lookups.Find(task, null).Command);
        // Unpacked code never changes; were it to, the first answer still stands (no file-system call).
        File.Delete(bootstrap);
        Assert.Equal(["/var/task/bootstrap"], lookups.Find(task, null).Command);
        Assert.Null(new BootstrapLookups().Find(task, null).Command);
    }

    [Fact]
    public void Find_CodeWithoutBootstrap_TheLocatorsFailure()
    {
        var task = Directory.CreateDirectory(Path.Combine(_directory, "empty")).FullName;

        var (command, failure) = new BootstrapLookups().Find(task, null);

        Assert.Null(command);
        Assert.Equal(BootstrapLocator.InvalidEntrypoint, failure!.ErrorType);
    }
}
