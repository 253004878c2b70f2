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

        using var buffer = new MemoryStream(length is > 0 and < int.MaxValue ? (int)length.Value : 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw LambdaErrors.ZipTooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        var result = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        context.Items[Key] = result;
        return result;
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
