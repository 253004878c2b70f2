namespace Amazon.Lambda.Core;

/// <summary>The client context a mobile SDK sends with an invocation.</summary>
public interface IClientContext
{
    /// <summary>Environment values of the client.</summary>
    IDictionary<string, string> Environment { get; }

    /// <summary>The client application.</summary>
    IClientApplication Client { get; }

    /// <summary>Custom values set by the client.</summary>
    IDictionary<string, string> Custom { get; }
}
