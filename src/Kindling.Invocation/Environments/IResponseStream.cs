namespace Kindling.Invocation.Environments;

/// <summary>
/// Where a streamed response goes as the function produces it (InvokeWithResponseStream). The worker writes each
/// chunk the runtime posts in streaming mode, in order, awaiting each write (the caller's pace holds the runtime
/// back); a function that answers without streaming writes nothing, and its result comes as usual.
/// </summary>
public interface IResponseStream
{
    /// <summary>The version that runs, known before the function starts (the stream's first bytes carry it).</summary>
    void Begin(string executedVersion);

    /// <summary>Writes one chunk; fails once the caller has gone or the stream was completed.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);
}
