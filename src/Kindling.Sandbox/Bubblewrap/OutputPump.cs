using System.IO.Pipelines;
using PipeStream = System.IO.Pipes.PipeStream;
using Kindling.Sandbox.Interop;

namespace Kindling.Sandbox.Bubblewrap;

/// <summary>
/// Moves a sandbox's output pipe into an in-process pipe that <see cref="Reader"/> reads. The indirection lets
/// the sandbox close its end of the kernel pipe on dispose while a reader is waiting: the reader then gets the
/// rest of the output and end of stream, not an exception. Back-pressure is kept: with 64 KiB unread, the pump
/// stops reading and the kernel pipe (64 KiB more) fills, then the sandbox's writes block.
/// </summary>
internal sealed class OutputPump : IAsyncDisposable
{
    private const int PauseBytes = 64 * 1024;
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(1);

    private readonly Stream _source;
    private readonly Pipe _pipe = new(new PipeOptions(
        pauseWriterThreshold: PauseBytes, resumeWriterThreshold: PauseBytes / 2, useSynchronizationContext: false));

    /// <summary>ioctl request: bytes unread in a pipe.</summary>
    private const ulong Fionread = 0x541B;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pumping;
    private long _pumped;

    public OutputPump(Stream source)
    {
        _source = source;
        Reader = _pipe.Reader.AsStream();
        _pumping = PumpAsync();
    }

    /// <summary>The output, in write order; ends once every writer has closed the pipe (or on dispose).</summary>
    public Stream Reader { get; }

    /// <summary>
    /// Bytes written to the output so far: those moved to <see cref="Reader"/> plus those still unread in the kernel
    /// pipe. A reader that has consumed this many has everything written before the call.
    /// </summary>
    public long WrittenBytes
    {
        get
        {
            while (true)
            {
                var before = Interlocked.Read(ref _pumped);
                var pending = PendingKernelBytes();
                if (Interlocked.Read(ref _pumped) == before)
                {
                    return before + pending;
                }
            }
        }
    }

    /// <summary>
    /// Call once the sandbox's processes are gone: waits for the end of the pipe (unless nobody reads and the
    /// pump is held back), then closes it. Unread output stays readable.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _pipe.Writer.CancelPendingFlush();
        _stop.CancelAfter(s_drainTimeout);
        await _pumping;
        await _source.DisposeAsync();
        _stop.Dispose();
    }

    private unsafe long PendingKernelBytes()
    {
        if (_source is not PipeStream { SafePipeHandle: { IsClosed: false } handle })
        {
            return 0;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int pending;
            return Libc.ioctl((int)handle.DangerousGetHandle(), Fionread, (nint)(&pending)) == 0 ? pending : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                var read = await _source.ReadAsync(_pipe.Writer.GetMemory(4096), _stop.Token);
                if (read == 0)
                {
                    break;
                }

                _pipe.Writer.Advance(read);
                Interlocked.Add(ref _pumped, read);
                var flushed = await _pipe.Writer.FlushAsync();
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // Disposed: what was read stays readable.
        }
        finally
        {
            await _pipe.Writer.CompleteAsync();
        }
    }
}
