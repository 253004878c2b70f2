using System.Security.Cryptography;

namespace Kindling.Invocation.Async;

/// <summary>X-Ray style trace headers for invocations whose caller sent none.</summary>
internal static class TraceIds
{
    public static string New(TimeProvider time)
    {
        var epoch = time.GetUtcNow().ToUnixTimeSeconds();
        Span<byte> random = stackalloc byte[20];
        RandomNumberGenerator.Fill(random);
        return $"Root=1-{epoch:x8}-{Convert.ToHexStringLower(random[..12])};Parent={Convert.ToHexStringLower(random[12..])};Sampled=0";
    }
}
