using System.IO.Compression;
using Kindling.Functions.Errors;

namespace Kindling.Functions.Packages;

/// <summary>What the synchronous check of a deployment package learns: its entries and unzipped size.</summary>
public sealed record ZipPackage(IReadOnlySet<string> Files, long UnzippedSize)
{
    /// <summary>Lambda's limit on zipped packages uploaded directly.</summary>
    public const long MaxZippedBytes = 52_428_800;

    /// <summary>Lambda's limit on the unzipped function plus its layers.</summary>
    public const long MaxUnzippedBytes = 262_144_000;

    /// <summary>
    /// Reads the central directory (cheap; no decompression). A buffer that is not a zip is the
    /// InvalidParameterValueException Lambda returns synchronously.
    /// </summary>
    public static ZipPackage Inspect(ReadOnlyMemory<byte> zip)
    {
        try
        {
            // Request bodies arrive as arrays: wrap, do not copy (a package can be 50 MB).
            using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(zip, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(zip.ToArray(), writable: false);
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
            var files = new HashSet<string>(StringComparer.Ordinal);
            long size = 0;
            foreach (var entry in archive.Entries)
            {
                size += entry.Length;
                files.Add(entry.FullName.TrimStart('/'));
            }

            return new ZipPackage(files, size);
        }
        catch (InvalidDataException)
        {
            throw LambdaErrors.InvalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }
    }

    /// <summary>
    /// Decompresses every entry to verify its data and CRC (the background check). Returns null when the
    /// archive is sound, else the reason.
    /// </summary>
    public static string? Verify(byte[] zip)
    {
        try
        {
            using var stream = new MemoryStream(zip, writable: false);
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
            var buffer = new byte[81920];
            foreach (var entry in archive.Entries)
            {
                using var data = entry.Open();
                uint crc = 0;
                long length = 0;
                int read;
                while ((read = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    crc = Crc32.Append(crc, buffer.AsSpan(0, read));
                    length += read;
                }

                if (crc != entry.Crc32 || length != entry.Length)
                {
                    return $"Could not unzip uploaded file. Please check your file, then try to upload again. (The data of {entry.FullName} is corrupt: CRC-32 mismatch.)";
                }
            }

            return null;
        }
        catch (InvalidDataException ex)
        {
            return $"Could not unzip uploaded file. Please check your file, then try to upload again. ({ex.Message})";
        }
    }
}
