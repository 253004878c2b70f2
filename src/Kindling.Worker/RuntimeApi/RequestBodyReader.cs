using System.Buffers;
using System.IO.Pipelines;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// Reads a posted response into one exactly sized array (the invocation result keeps it; no further copy),
/// refusing bodies over a limit: with a Content-Length straight into the array, chunked through pooled blocks.
/// </summary>
internal static class RequestBodyReader
{
    private const int BlockBytes = 64 * 1024;

    /// <summary>The body, or null when it is over <paramref name="limit"/>.</summary>
    /// <exception cref="IOException">The connection ended before the whole body came.</exception>
    public static ValueTask<byte[]?> ReadAsync(PipeReader reader, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        if (contentLength is { } length)
        {
            return length > limit
                ? ValueTask.FromResult<byte[]?>(null)
                : ReadKnownLengthAsync(reader, (int)length, cancellationToken);
        }

        return ReadChunkedAsync(reader, limit, cancellationToken);
    }

    private static async ValueTask<byte[]?> ReadKnownLengthAsync(PipeReader reader, int length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return [];
        }

        var body = GC.AllocateUninitializedArray<byte>(length);
        var filled = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var take = (int)Math.Min(buffer.Length, length - filled);
            buffer.Slice(0, take).CopyTo(body.AsSpan(filled));
            filled += take;
            reader.AdvanceTo(buffer.GetPosition(take));
            if (filled == length)
            {
                return body;
            }

            if (result.IsCompleted)
            {
                throw new IOException("The request body ended early.");
            }
        }
    }

    private static async ValueTask<byte[]?> ReadChunkedAsync(PipeReader reader, int limit, CancellationToken cancellationToken)
    {
        var blocks = new List<byte[]>();
        var total = 0L;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (total + buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.End);
                    return null;
                }

                foreach (var segment in buffer)
                {
                    Append(blocks, total, segment.Span);
                    total += segment.Length;
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            var body = total == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)total);
            var offset = 0;
            foreach (var block in blocks)
            {
                var take = (int)Math.Min(BlockBytes, total - offset);
                block.AsSpan(0, take).CopyTo(body.AsSpan(offset));
                offset += take;
            }

            return body;
        }
        finally
        {
            foreach (var block in blocks)
            {
                ArrayPool<byte>.Shared.Return(block);
            }
        }
    }

    private static void Append(List<byte[]> blocks, long total, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var used = (int)(total % BlockBytes);
            if (used == 0 && total / BlockBytes == blocks.Count)
            {
                blocks.Add(ArrayPool<byte>.Shared.Rent(BlockBytes));
            }

            var take = Math.Min(data.Length, BlockBytes - used);
            data[..take].CopyTo(blocks[^1].AsSpan(used));
            data = data[take..];
            total += take;
        }
    }
}
