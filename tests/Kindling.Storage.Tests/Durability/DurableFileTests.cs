using Kindling.Storage.Durability;

namespace Kindling.Storage.Tests.Durability;

public sealed class DurableFileTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void FlushDirectory_ExistingDirectory_Succeeds()
    {
        DurableFile.FlushDirectory(_directory.Path);

        Assert.True(Directory.Exists(_directory.Path));
    }

    [Fact]
    public void FlushDirectory_MissingDirectory_ThrowsIOExceptionWithErrno()
    {
        var missing = _directory.Combine("missing");

        var error = Assert.Throws<IOException>(() => DurableFile.FlushDirectory(missing));

        Assert.Equal($"open of '{missing}' failed: No such file or directory (errno 2).", error.Message);
    }

    [Fact]
    public void WriteNew_WithMode_CreatesFileWithExactlyThatModeAndContent()
    {
        var path = _directory.Combine("file");

        DurableFile.WriteNew(path, [1, 2, 3], UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteNew_FileExists_ThrowsAndKeepsIt()
    {
        var path = _directory.Combine("file");
        File.WriteAllBytes(path, [9]);

        Assert.Throws<IOException>(() => DurableFile.WriteNew(path, [1]));

        Assert.Equal([9], File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteAndReplace_TargetExists_ReplacesItAndRemovesTemp()
    {
        var path = _directory.Combine("file");
        var temp = _directory.Combine("file.tmp");
        File.WriteAllBytes(path, [9]);

        DurableFile.WriteAndReplace(temp, path, [1, 2]);

        Assert.Equal([1, 2], File.ReadAllBytes(path));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void PublishIfAbsent_TargetMissing_PublishesAndRemovesTemp()
    {
        var path = _directory.Combine("key");
        var temp = _directory.Combine("key.tmp");
        File.WriteAllBytes(temp, [1]);

        Assert.True(DurableFile.PublishIfAbsent(temp, path));

        Assert.Equal([1], File.ReadAllBytes(path));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void PublishIfAbsent_TargetExists_KeepsTargetAndRemovesTemp()
    {
        var path = _directory.Combine("key");
        var temp = _directory.Combine("key.tmp");
        File.WriteAllBytes(path, [9]);
        File.WriteAllBytes(temp, [1]);

        Assert.False(DurableFile.PublishIfAbsent(temp, path));

        Assert.Equal([9], File.ReadAllBytes(path));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void CreateDirectories_NestedMissingDirectories_CreatesThemWithTheMode()
    {
        var nested = _directory.Combine("a", "b", "c");
        var sibling = _directory.Combine("a", "d");

        DurableFile.CreateDirectories([nested, sibling], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.True(Directory.Exists(nested));
        Assert.True(Directory.Exists(sibling));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory.Combine("a")));
    }
}
