using System.IO.Compression;
using System.Text;
using Kindling.Worker.Code;

namespace Kindling.Worker.Tests.Code;

public sealed class ZipExtractorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kindling-zip-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Extract_UnixModes_AreKept()
    {
        var zip = Zip(("bootstrap", "#!/bin/sh", 0x81ED), ("lib/data.txt", "data", 0x8180));

        Extract(zip);

        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(_root, "bootstrap")));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Combine(_root, "lib", "data.txt")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(_root, "lib")));
        Assert.Equal("data", File.ReadAllText(Path.Combine(_root, "lib", "data.txt")));
    }

    [Fact]
    public void Extract_NoUnixMode_IsReadOnlyForAll()
    {
        Extract(Zip(("handler.sh", "x", 0)));

        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(Path.Combine(_root, "handler.sh")));
    }

    [Fact]
    public void Extract_SetIdBits_AreDropped()
    {
        Extract(Zip(("tool", "x", 0x8000 | 0xDED)));

        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(_root, "tool")));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("/etc/escape.txt")]
    public void Extract_PathOutsideRoot_Throws(string name)
    {
        var exception = Assert.Throws<InvalidDataException>(() => Extract(Zip((name, "x", 0x81A4))));

        Assert.Contains(name, exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escape.txt")));
    }

    [Fact]
    public void Extract_SymbolicLink_IsCreatedLast()
    {
        Extract(Zip(("target.txt", "t", 0x81A4), ("link", "target.txt", 0xA1FF)));

        Assert.Equal("target.txt", new FileInfo(Path.Combine(_root, "link")).LinkTarget);
    }

    [Fact]
    public void Extract_LaterLayerFileThroughEarlierLink_ReplacesTheLinkNotItsTarget()
    {
        var outside = Directory.CreateTempSubdirectory("kindling-zip-outside-").FullName;
        try
        {
            long unpacked = 0;
            ZipExtractor.Extract(Zip(("lib", outside, 0xA1FF)), _root, ref unpacked);

            ZipExtractor.Extract(Zip(("lib/passwd", "owned", 0x81A4), ("file", "x", 0x81A4)), _root, ref unpacked);

            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
            Assert.Null(new DirectoryInfo(Path.Combine(_root, "lib")).LinkTarget);
            Assert.Equal("owned", File.ReadAllText(Path.Combine(_root, "lib", "passwd")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Extract_LaterLayerFileOverLink_ReplacesTheLink()
    {
        var outside = Path.Combine(Path.GetTempPath(), "kindling-zip-outside-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(outside, "keep");
        try
        {
            long unpacked = 0;
            ZipExtractor.Extract(Zip(("config", outside, 0xA1FF)), _root, ref unpacked);

            ZipExtractor.Extract(Zip(("config", "layer two", 0x81A4)), _root, ref unpacked);

            Assert.Equal("keep", File.ReadAllText(outside));
            Assert.Equal("layer two", File.ReadAllText(Path.Combine(_root, "config")));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void Extract_OverUnpackedLimit_Throws()
    {
        long unpacked = ZipExtractor.MaxUnpackedBytes - 3;

        var exception = Assert.Throws<InvalidDataException>(() => ZipExtractor.Extract(Zip(("big", "four", 0x81A4)), _root, ref unpacked));

        Assert.Equal("The unpacked code is larger than 262144000 bytes.", exception.Message);
    }

    [Fact]
    public void Extract_CountsUnpackedBytes()
    {
        long unpacked = 10;

        ZipExtractor.Extract(Zip(("a", "12345", 0x81A4), ("b/c", "678", 0x81A4)), _root, ref unpacked);

        Assert.Equal(18, unpacked);
    }

    private void Extract(byte[] zip)
    {
        long unpacked = 0;
        ZipExtractor.Extract(zip, _root, ref unpacked);
    }

    private static byte[] Zip(params (string Name, string Content, int Mode)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content, mode) in entries)
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = mode << 16;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }
}
