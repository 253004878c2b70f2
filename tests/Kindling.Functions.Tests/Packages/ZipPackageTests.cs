using System.IO.Compression;
using System.Net;
using System.Text;
using Kindling.Functions.Packages;
using Kindling.Functions.Tests.TestSupport;

namespace Kindling.Functions.Tests.Packages;

public sealed class ZipPackageTests
{
    private const string UnzipMessage = "Could not unzip uploaded file. Please check your file, then try to upload again.";

    [Fact]
    public void Inspect_ValidZip_ListsEntriesAndUnzippedSize()
    {
        var zip = Zips.Create(("bootstrap", "12345"), ("lib/app.py", "1234567890"));

        var package = ZipPackage.Inspect(zip);

        Assert.Equal(new HashSet<string>(["bootstrap", "lib/app.py"]), package.Files);
        Assert.Equal(15, package.UnzippedSize);
    }

    [Fact]
    public void Inspect_EntryWithLeadingSlash_TrimsIt()
    {
        var zip = Zips.Create(("/bootstrap", "x"));

        Assert.Contains("bootstrap", ZipPackage.Inspect(zip).Files);
    }

    [Fact]
    public void Inspect_EmptyArchive_HasNoFiles()
    {
        var package = ZipPackage.Inspect(Zips.Create());

        Assert.Empty(package.Files);
        Assert.Equal(0, package.UnzippedSize);
    }

    [Fact]
    public void Inspect_NotAZip_ThrowsInvalidParameter()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            UnzipMessage,
            () => ZipPackage.Inspect(Encoding.UTF8.GetBytes("this is not a zip file")));
    }

    [Fact]
    public void Inspect_EmptyBuffer_ThrowsInvalidParameter()
    {
        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            UnzipMessage,
            () => ZipPackage.Inspect(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Inspect_TruncatedZip_ThrowsInvalidParameter()
    {
        var zip = Zips.WithBootstrap();

        LambdaAssert.Throws(
            HttpStatusCode.BadRequest,
            "InvalidParameterValueException",
            UnzipMessage,
            () => ZipPackage.Inspect(zip.AsMemory(0, zip.Length - 10)));
    }

    [Fact]
    public void Verify_SoundZip_ReturnsNull()
    {
        Assert.Null(ZipPackage.Verify(Zips.Create(("bootstrap", "#!/bin/sh"), ("data.bin", new string('z', 100_000)))));
    }

    [Fact]
    public void Verify_NotAZip_ReturnsReason()
    {
        Assert.Equal(UnzipMessage + " (End of Central Directory record could not be found.)", ZipPackage.Verify(Encoding.UTF8.GetBytes("this is not a zip file")));
    }

    [Fact]
    public void Verify_CorruptedDeflateEntry_ReturnsReason()
    {
        var zip = Zips.Create(("bootstrap", "#!/bin/sh\necho hello\n"));
        // The entry's data starts after the 30-byte local header and the 9-byte name; make its first deflate
        // block use the reserved block type 3.
        zip[30 + "bootstrap".Length] = 0x07;

        // The central directory is intact: the synchronous check passes, the background one catches it.
        Assert.Contains("bootstrap", ZipPackage.Inspect(zip).Files);
        Assert.Equal(
            UnzipMessage + " (The archive entry was compressed using an unsupported compression method.)",
            ZipPackage.Verify(zip));
    }

    [Fact]
    public void Verify_CorruptedStoredEntry_ReturnsReason()
    {
        var content = new string('A', 1000);
        var zip = Zips.Create(CompressionLevel.NoCompression, ("bootstrap", content));
        var offset = Encoding.ASCII.GetString(zip).IndexOf(content, StringComparison.Ordinal);
        zip[offset + 500] = (byte)'B';

        Assert.NotNull(ZipPackage.Verify(zip));
    }
}
