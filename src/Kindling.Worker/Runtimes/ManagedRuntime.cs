namespace Kindling.Worker.Runtimes;

/// <summary>One managed runtime this host can run: a Lambda identifier mapped to an installed interpreter.</summary>
public sealed record ManagedRuntime
{
    /// <summary>Lambda's identifier, e.g. <c>python3.11</c>.</summary>
    public required string Identifier { get; init; }

    /// <summary><c>python</c>, <c>nodejs</c> or <c>dotnet</c>: names the runtime interface client's directory.</summary>
    public required string Family { get; init; }

    /// <summary>Host path of the interpreter (for .NET, the <c>dotnet</c> host).</summary>
    public required string Interpreter { get; init; }

    /// <summary>The interpreter's version, e.g. <c>3.11.2</c> (as precise as discovery could tell).</summary>
    public required string Version { get; init; }

    /// <summary>True when the server's settings named the interpreter; false when discovered.</summary>
    public bool Configured { get; init; }

    /// <summary>The runtime interface client's directory (bound at <c>/var/runtime</c>).</summary>
    public required string RuntimeDirectory { get; init; }

    /// <summary>How to start it.</summary>
    public required RuntimeManifest Manifest { get; init; }

    /// <summary>
    /// Host directories the sandbox must see at the same path for the interpreter to run (its installation, when it
    /// is outside <c>/usr</c>).
    /// </summary>
    public IReadOnlyList<string> ExtraReadOnlyPaths { get; init; } = [];
}
