using System.Globalization;
using Kindling.Queues.Engine;
using Kindling.Queues.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kindling.Queues.Sqlite;

/// <summary>
/// The SQLite queue engine. One connection, used by one call at a time: every operation is a short transaction,
/// and a commit is fsynced before the call returns. Queue definitions are also held in memory (read on open);
/// long-polling receivers wait on their queue's <see cref="QueueSignal"/> outside the lock.
/// </summary>
internal sealed partial class SqliteQueueEngine : IQueueEngine, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly QueueEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, QueueState> _queues = new(StringComparer.Ordinal);
    private readonly Lock _pendingGate = new();
    private List<PendingWrite> _pending = [];
    private bool _flushing;

    public SqliteQueueEngine(QueueEngineOptions options, TimeProvider time, ILogger<SqliteQueueEngine> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _connection = QueueSchema.Open(options.DatabasePath);
        using var command = Command("SELECT name, attributes, tags, created, modified FROM queues;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            _queues[name] = new QueueState(name, ArnOf(name), StoredJson.ToMap(reader.GetString(1)), StoredJson.ToMap(reader.GetString(2)),
                reader.GetInt64(3), reader.GetInt64(4));
        }

        LogOpened(_logger, options.DatabasePath, _queues.Count);
    }

    private string ArnOf(string name) => $"arn:aws:sqs:{_options.Region}:{_options.AccountId}:{name}";

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public ValueTask<QueueInfo> CreateQueueAsync(string name, IReadOnlyDictionary<string, string> attributes, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var effective = QueueAttributeRules.ForCreate(name, attributes);
        lock (_gate)
        {
            if (_queues.TryGetValue(name, out var existing))
            {
                foreach (var (key, value) in effective)
                {
                    if (attributes.ContainsKey(key) && existing.Attributes.GetValueOrDefault(key) != value)
                    {
                        throw QueueErrors.QueueNameExists(key);
                    }
                }

                return ValueTask.FromResult(existing.ToInfo());
            }

            CheckDeadLetterTarget(effective, effective.ContainsKey(QueueAttributeNames.FifoQueue), attributes);
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            var state = new QueueState(name, ArnOf(name), effective, new Dictionary<string, string>(tags, StringComparer.Ordinal), now, now);
            using var command = Command("INSERT INTO queues (name, attributes, tags, created, modified) VALUES ($name, $attributes, $tags, $created, $created);",
                ("$name", name), ("$attributes", StoredJson.FromMap(effective)), ("$tags", StoredJson.FromMap(state.Tags)), ("$created", now));
            command.ExecuteNonQuery();
            _queues[name] = state;
            LogCreated(_logger, name);
            return ValueTask.FromResult(state.ToInfo());
        }
    }

    public ValueTask<QueueInfo?> GetQueueAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_queues.TryGetValue(name, out var state) ? state.ToInfo() : null);
        }
    }

    public ValueTask<QueueInfo?> FindByArnAsync(string arn, CancellationToken cancellationToken)
    {
        var prefix = ArnOf("");
        return arn.StartsWith(prefix, StringComparison.Ordinal)
            ? GetQueueAsync(arn[prefix.Length..], cancellationToken)
            : ValueTask.FromResult<QueueInfo?>(null);
    }

    public ValueTask<IReadOnlyList<string>> ListQueuesAsync(string? prefix, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> names = _queues.Keys
                .Where(n => prefix is null || n.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            return ValueTask.FromResult(names);
        }
    }

    public ValueTask DeleteQueueAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = Find(name);
            using var transaction = _connection.BeginTransaction(deferred: false);
            Execute(transaction, "DELETE FROM messages WHERE queue = $q;", ("$q", name));
            Execute(transaction, "DELETE FROM dedup WHERE queue = $q;", ("$q", name));
            Execute(transaction, "DELETE FROM queues WHERE name = $q;", ("$q", name));
            transaction.Commit();
            _queues.Remove(name);
            state.Signal.Pulse();
            LogDeleted(_logger, name);
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask<IReadOnlyDictionary<string, string>> GetAttributesAsync(string name, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = Find(name);
            var now = NowMs();
            ExpireRetained(null, state, now);
            using var command = Command("""
                SELECT
                  COALESCE(SUM(visible_at <= $now), 0),
                  COALESCE(SUM(visible_at > $now AND receive_count > 0), 0),
                  COALESCE(SUM(visible_at > $now AND receive_count = 0), 0)
                FROM messages WHERE queue = $q;
                """, ("$q", name), ("$now", now));
            using var reader = command.ExecuteReader();
            reader.Read();
            var result = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [QueueAttributeNames.QueueArn] = state.Arn,
                [QueueAttributeNames.ApproximateNumberOfMessages] = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                [QueueAttributeNames.ApproximateNumberOfMessagesNotVisible] = reader.GetInt64(1).ToString(CultureInfo.InvariantCulture),
                [QueueAttributeNames.ApproximateNumberOfMessagesDelayed] = reader.GetInt64(2).ToString(CultureInfo.InvariantCulture),
                [QueueAttributeNames.CreatedTimestamp] = state.Created.ToString(CultureInfo.InvariantCulture),
                [QueueAttributeNames.LastModifiedTimestamp] = state.Modified.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in state.Attributes)
            {
                if (value.Length > 0)
                {
                    result[key] = value;
                }
            }

            return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(result);
        }
    }

    public ValueTask SetAttributesAsync(string name, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = Find(name);
            var changes = QueueAttributeRules.Normalize(attributes, state.Settings.Fifo, creating: false);
            var updated = new Dictionary<string, string>(state.Attributes, StringComparer.Ordinal);
            foreach (var (key, value) in changes)
            {
                if (value.Length == 0 && key is QueueAttributeNames.RedrivePolicy or QueueAttributeNames.Policy or QueueAttributeNames.RedriveAllowPolicy)
                {
                    updated.Remove(key);
                }
                else
                {
                    updated[key] = value;
                }
            }

            CheckDeadLetterTarget(updated, state.Settings.Fifo, attributes);
            var settings = QueueSettings.From(updated);
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            using var command = Command("UPDATE queues SET attributes = $attributes, modified = $now WHERE name = $q;",
                ("$q", name), ("$attributes", StoredJson.FromMap(updated)), ("$now", now));
            command.ExecuteNonQuery();
            state.Attributes = updated;
            state.Settings = settings;
            state.Modified = now;
            state.Signal.Pulse();
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask<IReadOnlyDictionary<string, string>> ListTagsAsync(string queue, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(Find(queue).Tags, StringComparer.Ordinal));
        }
    }

    public ValueTask TagAsync(string queue, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = Find(queue);
            var updated = new Dictionary<string, string>(state.Tags, StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                updated[key] = value;
            }

            SaveTags(state, updated);
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask UntagAsync(string queue, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = Find(queue);
            var updated = new Dictionary<string, string>(state.Tags, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                updated.Remove(key);
            }

            SaveTags(state, updated);
            return ValueTask.CompletedTask;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private void SaveTags(QueueState state, Dictionary<string, string> tags)
    {
        using var command = Command("UPDATE queues SET tags = $tags WHERE name = $q;", ("$q", state.Name), ("$tags", StoredJson.FromMap(tags)));
        command.ExecuteNonQuery();
        state.Tags = tags;
    }

    /// <summary>Errors quote the policy as the client sent it (<paramref name="given"/>), not its canonical form.</summary>
    private void CheckDeadLetterTarget(Dictionary<string, string> attributes, bool fifo, IReadOnlyDictionary<string, string> given)
    {
        if (!attributes.TryGetValue(QueueAttributeNames.RedrivePolicy, out var canonical) || canonical.Length == 0)
        {
            return;
        }

        var json = given.GetValueOrDefault(QueueAttributeNames.RedrivePolicy) ?? canonical;

        var policy = RedrivePolicy.Parse(canonical);
        var prefix = ArnOf("");
        if (!policy.DeadLetterTargetArn.StartsWith(prefix, StringComparison.Ordinal)
            || !_queues.TryGetValue(policy.DeadLetterTargetArn[prefix.Length..], out var target))
        {
            throw QueueErrors.InvalidParameter(QueueAttributeNames.RedrivePolicy, json, "Dead letter target does not exist.");
        }

        if (target.Settings.Fifo != fifo)
        {
            throw QueueErrors.InvalidParameter(QueueAttributeNames.RedrivePolicy, json,
                "Dead-letter queue must be same type of queue as the source.");
        }
    }

    private QueueState Find(string name) => _queues.TryGetValue(name, out var state) ? state : throw QueueErrors.QueueDoesNotExist();

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private int Execute(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Queue store {Path} opened with {Count} queues")]
    private static partial void LogOpened(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Queue {Name} created")]
    private static partial void LogCreated(ILogger logger, string name);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Queue {Name} deleted")]
    private static partial void LogDeleted(ILogger logger, string name);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Message {MessageId} moved from {Source} to dead-letter queue {Target} after {Count} receives")]
    private static partial void LogRedriven(ILogger logger, string messageId, string source, string target, int count);
}
