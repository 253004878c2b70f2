using System.Security.Cryptography;
using Kindling.Storage.Durability;

namespace Kindling.Storage.Encryption;

/// <summary>
/// The data directory's master key: 32 random bytes in <c>&lt;dataDir&gt;/master.key</c>, readable only by the
/// owner (mode 0600). Everything encrypted at rest derives its keys from it; losing the file loses the code store.
/// </summary>
public sealed class MasterKey
{
    /// <summary>The key file's name inside the data directory.</summary>
    public const string FileName = "master.key";

    /// <summary>The key length in bytes (AES-256 / HMAC-SHA256).</summary>
    public const int Length = 32;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;

    private readonly byte[] _material;

    private MasterKey(byte[] material)
    {
        _material = material;
    }

    /// <summary>The raw key, for key derivation inside this assembly only.</summary>
    internal ReadOnlySpan<byte> Material => _material;

    /// <summary>
    /// Loads the key from <paramref name="dataDirectory"/>, creating the directory (mode 0700) and the key
    /// (mode 0600) when missing. Creation is atomic: concurrent callers, even in other processes, all end up
    /// with the same key, and a crash never leaves a partial key file.
    /// </summary>
    /// <exception cref="InvalidDataException">The key file exists but is not exactly 32 bytes.</exception>
    public static MasterKey LoadOrCreate(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        DurableFile.CreateDirectories([directory], OwnerOnlyDirectory);
        var path = Path.Combine(directory, FileName);

        if (File.Exists(path))
        {
            return Load(path);
        }

        var material = RandomNumberGenerator.GetBytes(Length);
        var tempPath = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        // Created 0600 from the start: writing first and chmod-ing after would expose the key in between.
        DurableFile.WriteNew(tempPath, material, OwnerReadWrite);
        if (!DurableFile.PublishIfAbsent(tempPath, path))
        {
            return Load(path);
        }

        DurableFile.FlushDirectory(directory);
        return new MasterKey(material);
    }

    private static MasterKey Load(string path)
    {
        var material = File.ReadAllBytes(path);
        if (material.Length != Length)
        {
            throw new InvalidDataException(
                $"The master key file '{path}' holds {material.Length} bytes; a master key is exactly {Length} bytes. " +
                "Refusing to use it: restore the original key file (data encrypted under another key cannot be read).");
        }

        return new MasterKey(material);
    }
}
