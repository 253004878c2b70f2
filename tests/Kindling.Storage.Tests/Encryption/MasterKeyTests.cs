using Kindling.Storage.Encryption;

namespace Kindling.Storage.Tests.Encryption;

public sealed class MasterKeyTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void LoadOrCreate_MissingDataDirectory_CreatesOwnerOnlyKeyFile()
    {
        var dataDirectory = _directory.Combine("data");

        var key = MasterKey.LoadOrCreate(dataDirectory);

        var path = Path.Combine(dataDirectory, "master.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDirectory));
        Assert.Equal(key.Material.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(32, key.Material.Length);
        Assert.Equal(["master.key"], Directory.GetFileSystemEntries(dataDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadOrCreate_ExistingKey_ReturnsTheSameKey()
    {
        var first = MasterKey.LoadOrCreate(_directory.Path);

        var second = MasterKey.LoadOrCreate(_directory.Path);

        Assert.Equal(first.Material.ToArray(), second.Material.ToArray());
    }

    [Fact]
    public void LoadOrCreate_TwoDataDirectories_CreatesDifferentKeys()
    {
        var first = MasterKey.LoadOrCreate(_directory.Combine("one"));

        var second = MasterKey.LoadOrCreate(_directory.Combine("two"));

        Assert.NotEqual(first.Material.ToArray(), second.Material.ToArray());
    }

    [Fact]
    public async Task LoadOrCreate_ManyConcurrentCallers_AllGetOneKey()
    {
        var dataDirectory = _directory.Combine("data");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return MasterKey.LoadOrCreate(dataDirectory).Material.ToArray();
        })).ToArray();

        start.SetResult();
        var keys = await Task.WhenAll(callers);

        Assert.All(keys, key => Assert.Equal(File.ReadAllBytes(Path.Combine(dataDirectory, "master.key")), key));
        Assert.Equal(["master.key"], Directory.GetFileSystemEntries(dataDirectory).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void LoadOrCreate_KeyFileOfWrongSize_ThrowsAndKeepsTheFile(int size)
    {
        var path = _directory.Combine("master.key");
        File.WriteAllBytes(path, new byte[size]);

        var error = Assert.Throws<InvalidDataException>(() => MasterKey.LoadOrCreate(_directory.Path));

        Assert.Equal(
            $"The master key file '{path}' holds {size} bytes; a master key is exactly 32 bytes. Refusing to use it: " +
            "restore the original key file (data encrypted under another key cannot be read).",
            error.Message);
        Assert.Equal(size, new FileInfo(path).Length);
    }
}
