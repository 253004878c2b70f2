using Kindling.Queues.Engine;

namespace Kindling.Queues.Sqlite;

/// <summary>A send waiting for the group commit that will store it.</summary>
internal sealed class PendingSend(string queue, IReadOnlyList<OutgoingMessage> messages)
{
    public string Queue { get; } = queue;

    public IReadOnlyList<OutgoingMessage> Messages { get; } = messages;

    public TaskCompletionSource<IReadOnlyList<SendOutcome>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
