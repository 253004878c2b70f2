using System.Security.Cryptography;
using System.Text.Json;
using Kindling.Api.Authentication;

namespace Kindling.Server.Configuration;

/// <summary>
/// The root key pair: given on the command line, or generated on first start and kept in
/// <c>&lt;data-dir&gt;/credentials.json</c> with mode 0600.
/// </summary>
internal static class RootCredentials
{
    public static (AccessKey Key, bool Generated, string? Path) Resolve(ServerOptions options)
    {
        if (options.AccessKeyId is not null && options.SecretAccessKey is not null)
        {
            return (new AccessKey(options.AccessKeyId, options.SecretAccessKey), false, null);
        }

        var path = Path.Combine(options.DataDirectory, "credentials.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<StoredKey>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} is empty.");
            return (new AccessKey(stored.AccessKeyId, stored.SecretAccessKey), false, path);
        }

        var key = new AccessKey(
            "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40));
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, new StoredKey(key.AccessKeyId, key.SecretAccessKey));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: false);
        return (key, true, path);
    }

    private sealed record StoredKey(string AccessKeyId, string SecretAccessKey);
}
