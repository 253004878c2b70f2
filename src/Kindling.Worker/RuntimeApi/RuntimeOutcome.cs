using Kindling.Sandbox;
using Kindling.Worker.Extensions;

namespace Kindling.Worker.RuntimeApi;

/// <summary>How the runtime ended one invocation (or its Init phase).</summary>
internal sealed class RuntimeOutcome
{
    private RuntimeOutcome(RuntimeOutcomeKind kind, byte[] payload, string? errorType, SandboxExit? exit)
    {
        Kind = kind;
        Payload = payload;
        ErrorType = errorType;
        Exit = exit;
    }

    public RuntimeOutcomeKind Kind { get; }

    /// <summary>The response, or the error document the runtime posted.</summary>
    public byte[] Payload { get; }

    /// <summary>The error type the runtime reported (error outcomes).</summary>
    public string? ErrorType { get; }

    /// <summary>How the runtime exited (<see cref="RuntimeOutcomeKind.Exited"/>).</summary>
    public SandboxExit? Exit { get; }

    public static RuntimeOutcome Response(byte[] payload) => new(RuntimeOutcomeKind.Response, payload, null, null);

    public static RuntimeOutcome Error(byte[] payload, string errorType) => new(RuntimeOutcomeKind.Error, payload, errorType, null);

    public static RuntimeOutcome TooLarge { get; } = new(RuntimeOutcomeKind.ResponseTooLarge, [], null, null);

    public static RuntimeOutcome Ready { get; } = new(RuntimeOutcomeKind.Ready, [], null, null);

    public static RuntimeOutcome TimedOut { get; } = new(RuntimeOutcomeKind.TimedOut, [], null, null);

    public static RuntimeOutcome Exited(SandboxExit exit) => new(RuntimeOutcomeKind.Exited, [], null, exit);

    /// <summary>The extension failure (<see cref="RuntimeOutcomeKind.ExtensionFailed"/>).</summary>
    public ExtensionFailure? Extension { get; private init; }

    public static RuntimeOutcome ExtensionFailed(ExtensionFailure failure)
        => new(RuntimeOutcomeKind.ExtensionFailed, [], failure.ErrorType, null) { Extension = failure };
}
