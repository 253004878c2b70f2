using System.IO.Compression;
using System.Text;

namespace Kindling.Functions.Tests.TestSupport;

/// <summary>Builds deployment packages in memory.</summary>
internal static class Zips
{
    /// <summary>A zip with the given entries (name, text content), compressed or stored.</summary>
    public static byte[] Create(CompressionLevel level, params (string Name, string Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = archive.CreateEntry(name, level);
                using var data = entry.Open();
                data.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return stream.ToArray();
    }

    /// <summary>A deflated zip with the given entries.</summary>
    public static byte[] Create(params (string Name, string Content)[] entries) => Create(CompressionLevel.Optimal, entries);

    /// <summary>A custom-runtime package: an executable <c>bootstrap</c>.</summary>
    public static byte[] WithBootstrap(string script = "#!/bin/sh\necho hello\n") => Create(("bootstrap", script));

    /// <summary>A package without <c>bootstrap</c>.</summary>
    public static byte[] WithoutBootstrap() => Create(("handler.sh", "echo hello\n"));
}
