using System.Buffers;
using System.Text.Json;
using Kindling.Functions;
using Kindling.Functions.Errors;
using Microsoft.AspNetCore.Http;

namespace Kindling.Api.Hosting;

/// <summary>The request body, read once (the signature check needs its hash) and parsed on demand.</summary>
internal static class RequestBody
{
    private const string Key = "kindling.body";

    /// <summary>Bodies of operations that carry code may be this large (a 50 MB zip in base64, as Lambda allows).</summary>
    public const long MaxCodeRequestBytes = 70_167_211;

    public static async ValueTask<ReadOnlyMemory<byte>> ReadAsync(HttpContext context, long limit)
    {
        if (context.Items.TryGetValue(Key, out var cached) && cached is ReadOnlyMemory<byte> bytes)
        {
            return bytes;
        }

        var length = context.Request.ContentLength;
        if (length > limit)
        {
            throw LambdaErrors.ZipTooLarge();
        }

        var result = length is { } known
            ? await ReadKnownLengthAsync(context.Request.Body, (int)known, context.RequestAborted)
            : await ReadToEndAsync(context.Request.Body, limit, context.RequestAborted);
        context.Items[Key] = result;
        return result;
    }

    /// <summary>A Content-Length body straight into an array of its size (Kestrel ends the body at the length).</summary>
    private static async ValueTask<ReadOnlyMemory<byte>> ReadKnownLengthAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var bytes = length == 0 ? [] : GC.AllocateUninitializedArray<byte>(length);
        await body.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static async ValueTask<ReadOnlyMemory<byte>> ReadToEndAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(1024);
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw LambdaErrors.ZipTooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Parses the body as <typeparamref name="T"/>; an empty body is an empty object.</summary>
    public static async ValueTask<T> ParseAsync<T>(HttpContext context, long limit = 6_291_456)
        where T : class
    {
        var bytes = await ReadAsync(context, Math.Max(limit, MaxCodeRequestBytes));
        if (bytes.Length > limit)
        {
            throw LambdaErrors.RequestTooLarge(limit, "this");
        }

        if (bytes.Length == 0)
        {
            return JsonSerializer.Deserialize<T>("{}", LambdaJson.Options)!;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes.Span, LambdaJson.Options)
                ?? throw LambdaErrors.InvalidRequestContent("Could not parse request body into json: Could not parse payload into json: the body is null.");
        }
        catch (JsonException ex)
        {
            throw LambdaErrors.InvalidRequestContent($"Could not parse request body into json: Could not parse payload into json: {ex.Message}");
        }
        catch (FormatException ex)
        {
            throw LambdaErrors.InvalidRequestContent($"Could not parse request body into json: {ex.Message}");
        }
    }
}
