using System.Globalization;
using Kindling.Storage.Durability;

namespace Kindling.Storage.Code;

/// <summary>
/// Paths of the code store under its root:
/// <c>chunks/&lt;2 hex&gt;/&lt;64 hex&gt;</c> (encrypted chunks, 256-way fan-out, all fan-out directories made at open
/// so that a put never creates a directory whose own entry would need flushing), <c>objects/&lt;64 hex id&gt;</c>
/// (encrypted manifests) and <c>tmp/</c> (files being written). Temp files live in one directory of the same file
/// system rather than beside their targets: the rename is still atomic, and cleaning up after a crash is one
/// directory listing instead of a walk over every chunk.
/// </summary>
internal sealed class CodeStoreLayout
{
    private const int IdLength = 64;

    public CodeStoreLayout(string root)
    {
        Root = Path.GetFullPath(root);
        Chunks = Path.Combine(Root, "chunks");
        Objects = Path.Combine(Root, "objects");
        Temp = Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    public string Chunks { get; }

    public string Objects { get; }

    public string Temp { get; }

    /// <summary>
    /// Creates the directories (durably, flushing only when something was created) and removes temp files left by
    /// a crash. Assumes one process owns the store: a temp file being written by another process would be removed.
    /// </summary>
    public void Initialize()
    {
        var fanOut = Enumerable.Range(0, 256).Select(i => Path.Combine(Chunks, i.ToString("x2", CultureInfo.InvariantCulture)));
        DurableFile.CreateDirectories([Objects, Temp, .. fanOut]);
        foreach (var stale in Directory.EnumerateFiles(Temp))
        {
            File.Delete(stale);
        }
    }

    public string ChunkDirectory(string chunkName) => Path.Combine(Chunks, chunkName[..2]);

    public string ChunkPath(string chunkName) => Path.Combine(Chunks, chunkName[..2], chunkName);

    public string ObjectPath(string id) => Path.Combine(Objects, id);

    public string NewTempPath() => Path.Combine(Temp, Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>True for a well-formed id (64 lowercase hex digits); anything else cannot name a file here.</summary>
    public static bool IsValidId(string? id)
    {
        if (id is null || id.Length != IdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
