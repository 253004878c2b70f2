namespace Kindling.Invocation.Provisioned;

/// <summary>How often the provisioned concurrency reconciler looks at the configurations and the environments.</summary>
internal sealed record ProvisionedConcurrencyOptions
{
    /// <summary>
    /// The safety pass: configurations changed without a signal (a function, version or alias deleted, an alias
    /// moved) are applied, and failed launches retried, at this interval. Default 10 s.
    /// </summary>
    public TimeSpan PassInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>While environments are being launched, their status is written back at this interval. Default 200 ms.</summary>
    public TimeSpan SettleInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
