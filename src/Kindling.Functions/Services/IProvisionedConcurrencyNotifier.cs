namespace Kindling.Functions.Services;

/// <summary>
/// Told when a provisioned concurrency configuration is put or deleted, so the environments behind it are
/// launched or released without waiting for the next periodic pass.
/// </summary>
public interface IProvisionedConcurrencyNotifier
{
    /// <summary>A configuration changed (cheap and non-blocking: it only wakes whoever allocates them).</summary>
    void ProvisionedConcurrencyChanged();
}
