using Kindling.Queues.Errors;
using Microsoft.Data.Sqlite;

namespace Kindling.Queues.Sqlite;

/// <summary>A write that produces a <typeparamref name="T"/> once committed.</summary>
internal sealed class PendingWrite<T>(Func<SqliteTransaction, T> work) : PendingWrite
{
    private const string Savepoint = "write";
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private QueueException? _error;

    public Task<T> Task => _completion.Task;

    public override void Run(SqliteTransaction transaction)
    {
        transaction.Save(Savepoint);
        try
        {
            _result = work(transaction);
            transaction.Release(Savepoint);
        }
        catch (QueueException ex)
        {
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            _error = ex;
        }
    }

    public override void Complete()
    {
        if (_error is not null)
        {
            _completion.SetException(_error);
        }
        else
        {
            _completion.SetResult(_result!);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
