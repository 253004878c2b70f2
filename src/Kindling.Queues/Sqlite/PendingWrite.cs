using Microsoft.Data.Sqlite;

namespace Kindling.Queues.Sqlite;

/// <summary>
/// A write waiting for the group commit that will store it. It runs inside a savepoint of the shared transaction,
/// so a write refused with an SQS error leaves nothing behind while the others commit.
/// </summary>
internal abstract class PendingWrite
{
    public abstract void Run(SqliteTransaction transaction);

    public abstract void Complete();

    public abstract void Fail(Exception exception);
}
