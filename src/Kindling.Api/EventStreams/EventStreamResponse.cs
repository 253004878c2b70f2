using System.Text;
using System.Text.Json;
using Kindling.Invocation.Environments;
using Kindling.Invocation.Frontend;
using Microsoft.AspNetCore.Http;

namespace Kindling.Api.EventStreams;

/// <summary>
/// The body of an InvokeWithResponseStream answer: <c>PayloadChunk</c> events written as the function streams
/// (the worker calls <see cref="WriteAsync"/> from the runtime's post), then one <c>InvokeComplete</c>. A function
/// that answers without streaming gets its whole result as chunks when it ends. Writes are serialized; after
/// <see cref="CompleteAsync"/> a late chunk (a runtime still posting after a timeout) is refused.
/// </summary>
internal sealed class EventStreamResponse(HttpResponse response, CancellationToken aborted) : IResponseStream
{
    /// <summary>Payload bytes per PayloadChunk event.</summary>
    private const int ChunkBytes = 64 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _executedVersion;
    private bool _completed;

    /// <summary>Whether the answer's status and headers have gone out (errors can no longer be answered as such).</summary>
    public bool Started { get; private set; }

    public void Begin(string executedVersion) => _executedVersion = executedVersion;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(aborted);
        try
        {
            if (_completed)
            {
                throw new InvalidOperationException("The response stream is complete.");
            }

            await StartAsync();
            await WriteChunksAsync(chunk);
            await response.Body.FlushAsync(aborted);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the answer with the invocation's outcome (its whole result as chunks if nothing was streamed).</summary>
    public async Task CompleteAsync(InvokeResponse result)
    {
        await _gate.WaitAsync(aborted);
        try
        {
            _completed = true;
            if (!Started)
            {
                if (result.StatusCode != StatusCodes.Status200OK)
                {
                    response.StatusCode = result.StatusCode;
                    if (result.ExecutedVersion is not null)
                    {
                        response.Headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
                    }

                    return;
                }

                _executedVersion ??= result.ExecutedVersion;
                await StartAsync();
                if (result.FunctionError is null)
                {
                    await WriteChunksAsync(result.Payload);
                }
            }

            await response.Body.WriteAsync(EventStreamMessage.Event("InvokeComplete", "application/json", CompleteEvent(result)), aborted);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask StartAsync()
    {
        if (Started)
        {
            return;
        }

        Started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/vnd.amazon.eventstream";
        if (_executedVersion is not null)
        {
            response.Headers["X-Amz-Executed-Version"] = _executedVersion;
        }

        await response.StartAsync(aborted);
    }

    private async ValueTask WriteChunksAsync(ReadOnlyMemory<byte> payload)
    {
        for (var offset = 0; offset < payload.Length; offset += ChunkBytes)
        {
            var chunk = payload.Slice(offset, Math.Min(ChunkBytes, payload.Length - offset));
            await response.Body.WriteAsync(EventStreamMessage.Event("PayloadChunk", "application/octet-stream", chunk.Span), aborted);
        }
    }

    /// <summary><c>{"ErrorCode","ErrorDetails","LogResult"}</c>: the error's type and message, and the log tail if asked for.</summary>
    private static byte[] CompleteEvent(InvokeResponse result)
    {
        var complete = new Dictionary<string, string>(StringComparer.Ordinal);
        if (result.FunctionError is not null)
        {
            var (type, message) = ErrorOf(result.Payload);
            complete["ErrorCode"] = type ?? result.FunctionError;
            complete["ErrorDetails"] = message ?? Encoding.UTF8.GetString(result.Payload.Span);
        }

        if (result.LogResult is not null)
        {
            complete["LogResult"] = result.LogResult;
        }

        return JsonSerializer.SerializeToUtf8Bytes(complete);
    }

    private static (string? Type, string? Message) ErrorOf(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? (null, null)
                : (Text(root, "errorType"), Text(root, "errorMessage"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
