using System.Security.Cryptography;

namespace Kindling.Storage.Code;

/// <summary>
/// The on-disk form of every encrypted file of the code store: a format byte, the 16-byte AES-GCM tag, then the
/// ciphertext (same length as the plaintext). The nonce is not stored: it is derived, like the key.
/// </summary>
internal static class Envelope
{
    public const int TagLength = 16;

    public const int Overhead = 1 + TagLength;

    private const byte FormatVersion = 1;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var length = Overhead + plaintext.Length;
        var output = destination[..length];
        output[0] = FormatVersion;
        using var aes = new AesGcm(key, TagLength);
        // The format byte is authenticated too, so a future format cannot be confused with this one.
        aes.Encrypt(nonce, plaintext, output[Overhead..], output[1..Overhead], output[..1]);
        return length;
    }

    /// <summary>
    /// Decrypts an envelope into <paramref name="plaintext"/> (exactly the ciphertext's length).
    /// </summary>
    /// <returns>False when the format or the tag does not verify (corruption or another master key).</returns>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> envelope, Span<byte> plaintext)
    {
        if (envelope.Length < Overhead || envelope[0] != FormatVersion || plaintext.Length != envelope.Length - Overhead)
        {
            return false;
        }

        using var aes = new AesGcm(key, TagLength);
        try
        {
            aes.Decrypt(nonce, envelope[Overhead..], envelope[1..Overhead], plaintext, envelope[..1]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
