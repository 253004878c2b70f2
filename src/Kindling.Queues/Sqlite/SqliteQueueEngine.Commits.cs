namespace Kindling.Queues.Sqlite;

internal sealed partial class SqliteQueueEngine
{
    /// <summary>
    /// Group commit for the message path (sends, receives, deletes): concurrent writes share one transaction and
    /// one fsync. The first writer to find no flush in progress becomes the leader and commits everything pending
    /// (its own write and whatever arrives meanwhile) until nothing is left; every writer's outcome is set only
    /// after the commit, so nothing is acknowledged before it is on disk.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<Microsoft.Data.Sqlite.SqliteTransaction, T> work)
    {
        var write = new PendingWrite<T>(work);
        bool leader;
        lock (_pendingGate)
        {
            _pending.Add(write);
            leader = !_flushing;
            _flushing = true;
        }

        if (leader)
        {
            FlushPendingWrites();
        }

        return write.Task;
    }

    private void FlushPendingWrites()
    {
        while (true)
        {
            List<PendingWrite> batch;
            lock (_pendingGate)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                batch = _pending;
                _pending = [];
            }

            try
            {
                lock (_gate)
                {
                    using var transaction = _connection.BeginTransaction(deferred: false);
                    foreach (var write in batch)
                    {
                        write.Run(transaction);
                    }

                    transaction.Commit();
                }

                foreach (var write in batch)
                {
                    write.Complete();
                }
            }
            catch (Exception ex)
            {
                // The commit failed: nothing of this group is stored, and every writer hears so.
                foreach (var write in batch)
                {
                    write.Fail(ex);
                }
            }
        }
    }
}
