using System.Threading.Channels;
using Kindling.Functions.Services;

namespace Kindling.Invocation.Provisioned;

/// <summary>
/// The control plane's "a provisioned concurrency configuration changed" wake-up for the reconciler: level
/// triggered (any number of changes before the next pass make one pending signal), never blocking the caller.
/// </summary>
internal sealed class ProvisionedConcurrencySignal : IProvisionedConcurrencyNotifier
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <inheritdoc />
    public void ProvisionedConcurrencyChanged() => _pending.Writer.TryWrite(true);

    /// <summary>Takes the pending signal, if any.</summary>
    public bool TryConsume() => _pending.Reader.TryRead(out _);

    /// <summary>Completes once a signal is pending (without taking it).</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _pending.Reader.WaitToReadAsync(cancellationToken);
}
