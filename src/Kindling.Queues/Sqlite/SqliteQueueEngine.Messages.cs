using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kindling.Queues.Engine;
using Kindling.Queues.Errors;
using Microsoft.Data.Sqlite;

namespace Kindling.Queues.Sqlite;

internal sealed partial class SqliteQueueEngine
{
    /// <summary>FIFO deduplication interval.</summary>
    private static readonly TimeSpan DeduplicationWindow = TimeSpan.FromMinutes(5);

    private const string MessageColumns =
        "seq, id, body, attributes, trace_header, sender_id, sent, receive_count, first_receive, group_id, dedup_id, sequence_number";

    public async ValueTask<SentMessage> SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var outcome = (await SendBatchAsync(queue, [message], cancellationToken))[0];
        return outcome.Error is { } error ? throw error : outcome.Message!;
    }

    /// <summary>Sends in the shared group commit; a message that breaks a rule fails alone.</summary>
    public async ValueTask<IReadOnlyList<SendOutcome>> SendBatchAsync(string queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
        await WriteAsync(transaction =>
        {
            var state = Find(queue);
            var outcomes = new SendOutcome[messages.Count];
            for (var i = 0; i < outcomes.Length; i++)
            {
                try
                {
                    outcomes[i] = new SendOutcome(SendOne(state, messages[i], transaction), null);
                }
                catch (QueueException ex)
                {
                    outcomes[i] = new SendOutcome(null, ex);
                }
            }

            // Waiters take the engine's lock to look, which the flush holds until the commit.
            state.Signal.Pulse();
            return (IReadOnlyList<SendOutcome>)outcomes;
        }).ConfigureAwait(false);

    private SentMessage SendOne(QueueState state, OutgoingMessage message, SqliteTransaction transaction)
    {
        var queue = state.Name;
        if (message.Body.Length == 0)
        {
            throw QueueErrors.MissingParameter("MessageBody");
        }

        MessageValidation.CheckCharacters(message.Body);
        var settings = state.Settings;
        var size = MessageValidation.Size(message);
        if (size > settings.MaximumMessageSize)
        {
            throw QueueErrors.InvalidParameterValue(
                $"One or more parameters are invalid. Reason: Message must be shorter than {settings.MaximumMessageSize} bytes.");
        }

        if (message.DelaySeconds is { } requested)
        {
            if (requested is < 0 or > 900)
            {
                throw QueueErrors.InvalidParameter("DelaySeconds", requested, "DelaySeconds must be >= 0 and <= 900.");
            }

            if (settings.Fifo)
            {
                throw QueueErrors.InvalidParameter("DelaySeconds", requested, "The request include parameter that is not valid for this queue type.");
            }
        }

        string? dedupId = null;
        if (settings.Fifo)
        {
            if (string.IsNullOrEmpty(message.MessageGroupId))
            {
                throw QueueErrors.MissingParameter("MessageGroupId");
            }

            dedupId = message.MessageDeduplicationId
                ?? (settings.ContentBasedDeduplication
                    ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Body)))
                    : throw QueueErrors.InvalidParameterValue(
                        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"));
        }
        else if (message.MessageDeduplicationId is { } unexpected)
        {
            throw QueueErrors.InvalidParameter("MessageDeduplicationId", unexpected, "The request includes a parameter that is not valid for this queue type.");
        }

        var md5Body = Md5Digests.OfBody(message.Body);
        var md5Attributes = Md5Digests.OfAttributes(message.Attributes);
        var md5System = message.TraceHeader is null
            ? null
            : Md5Digests.OfAttributes([new("AWSTraceHeader", new MessageAttribute("String", message.TraceHeader, null))]);
        var now = NowMs();
        var id = Guid.NewGuid().ToString();
        string? sequenceNumber = null;
        if (dedupId is not null)
        {
            var scope = settings.DeduplicationPerGroup ? message.MessageGroupId! : "";
            Execute(transaction, "DELETE FROM dedup WHERE queue = $q AND expires <= $now;", ("$q", queue), ("$now", now));
            using (var lookup = Command("SELECT message_id, sequence_number FROM dedup WHERE queue = $q AND scope = $scope AND dedup_id = $d;",
                ("$q", queue), ("$scope", scope), ("$d", dedupId)))
            {
                lookup.Transaction = transaction;
                using var reader = lookup.ExecuteReader();
                if (reader.Read())
                {
                    return new SentMessage(reader.GetString(0), md5Body, md5Attributes, md5System, reader.GetString(1));
                }
            }

            using (var next = Command("UPDATE queues SET next_sequence = next_sequence + 1 WHERE name = $q RETURNING next_sequence;", ("$q", queue)))
            {
                next.Transaction = transaction;
                sequenceNumber = "1" + ((long)next.ExecuteScalar()!).ToString("D19", CultureInfo.InvariantCulture);
            }

            Execute(transaction, "INSERT INTO dedup (queue, scope, dedup_id, expires, message_id, sequence_number) VALUES ($q, $scope, $d, $expires, $id, $sn);",
                ("$q", queue), ("$scope", scope), ("$d", dedupId), ("$expires", now + (long)DeduplicationWindow.TotalMilliseconds),
                ("$id", id), ("$sn", sequenceNumber));
        }

        var delay = message.DelaySeconds ?? settings.DelaySeconds;
        Execute(transaction, """
            INSERT INTO messages (queue, id, body, attributes, trace_header, sender_id, sent, visible_at, group_id, dedup_id, sequence_number)
            VALUES ($q, $id, $body, $attributes, $trace, $sender, $now, $visible, $group, $dedup, $sn);
            """,
            ("$q", queue), ("$id", id), ("$body", message.Body), ("$attributes", StoredJson.FromAttributes(message.Attributes)),
            ("$trace", message.TraceHeader), ("$sender", message.SenderId), ("$now", now), ("$visible", now + (delay * 1000L)),
            ("$group", message.MessageGroupId), ("$dedup", dedupId), ("$sn", sequenceNumber));
        return new SentMessage(id, md5Body, md5Attributes, md5System, sequenceNumber);
    }

    public async ValueTask<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, ReceiveOptions options, CancellationToken cancellationToken)
    {
        if (options.MaxNumberOfMessages is < 1 or > 10)
        {
            throw QueueErrors.InvalidParameter("MaxNumberOfMessages", options.MaxNumberOfMessages, "Must be between 1 and 10, if provided.");
        }

        if (options.WaitTimeSeconds is < 0 or > 20)
        {
            throw QueueErrors.InvalidParameter("WaitTimeSeconds", options.WaitTimeSeconds, "Must be >= 0 and <= 20, if provided.");
        }

        if (options.VisibilityTimeoutSeconds is < 0 or > 43_200)
        {
            throw QueueErrors.InvalidParameter("VisibilityTimeout", options.VisibilityTimeoutSeconds, "Must be >= 0 and <= 43200, if provided.");
        }

        QueueState state;
        int wait;
        lock (_gate)
        {
            state = Find(queue);
            wait = options.WaitTimeSeconds ?? state.Settings.ReceiveMessageWaitTimeSeconds;
        }

        var deadline = _time.GetUtcNow().AddSeconds(wait);
        while (true)
        {
            // Taken before looking, so that a send committed after the look completes this very task.
            var signal = state.Signal.Current;
            var (received, nextVisible) = await WriteAsync(transaction =>
            {
                if (!_queues.TryGetValue(queue, out var current) || current != state)
                {
                    throw QueueErrors.QueueDoesNotExist();
                }

                var taken = Take(state, options, wait > 0, transaction, out var next);
                return (taken, next);
            }).ConfigureAwait(false);
            if (received.Count > 0)
            {
                return received;
            }

            var now = _time.GetUtcNow();
            if (now >= deadline)
            {
                return [];
            }

            var until = nextVisible is { } next && DateTimeOffset.FromUnixTimeMilliseconds(next) < deadline
                ? DateTimeOffset.FromUnixTimeMilliseconds(next)
                : deadline;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timeout = Task.Delay(until > now ? until - now : TimeSpan.FromMilliseconds(1), _time, stop.Token);
            await Task.WhenAny(signal, timeout).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DeleteMessageAsync(string queue, string receiptHandle, CancellationToken cancellationToken)
    {
        if ((await DeleteAsync(queue, [receiptHandle]).ConfigureAwait(false))[0] is { } error)
        {
            throw error;
        }
    }

    public async ValueTask<IReadOnlyList<QueueException?>> DeleteMessageBatchAsync(string queue, IReadOnlyList<string> receiptHandles, CancellationToken cancellationToken) =>
        await DeleteAsync(queue, receiptHandles).ConfigureAwait(false);

    /// <summary>Deletes in the shared group commit; a malformed handle fails alone.</summary>
    private Task<IReadOnlyList<QueueException?>> DeleteAsync(string queue, IReadOnlyList<string> receiptHandles) =>
        WriteAsync(transaction =>
        {
            var state = Find(queue);
            var errors = new QueueException?[receiptHandles.Count];
            var deleted = 0;
            for (var i = 0; i < receiptHandles.Count; i++)
            {
                try
                {
                    var handle = ReceiptHandle.Decode(receiptHandles[i]);
                    if (handle.Queue != queue)
                    {
                        throw QueueErrors.ReceiptHandleIsInvalid(receiptHandles[i]);
                    }

                    deleted += Execute(transaction, "DELETE FROM messages WHERE queue = $q AND id = $id AND receipt = $token;",
                        ("$q", queue), ("$id", handle.MessageId), ("$token", handle.Token));
                }
                catch (QueueException ex)
                {
                    errors[i] = ex;
                }
            }

            if (deleted > 0 && state.Settings.Fifo)
            {
                state.Signal.Pulse();
            }

            return (IReadOnlyList<QueueException?>)errors;
        });

    public ValueTask ChangeVisibilityAsync(string queue, string receiptHandle, int visibilityTimeoutSeconds, CancellationToken cancellationToken)
    {
        var handle = ReceiptHandle.Decode(receiptHandle);
        if (visibilityTimeoutSeconds is < 0 or > 43_200)
        {
            throw QueueErrors.InvalidParameter("VisibilityTimeout", visibilityTimeoutSeconds, "Must be between 0 and 43200, if provided.");
        }

        lock (_gate)
        {
            var state = Find(queue);
            if (handle.Queue != queue)
            {
                throw QueueErrors.ReceiptHandleIsInvalid(receiptHandle);
            }

            var now = NowMs();
            using var command = Command("SELECT visible_at FROM messages WHERE queue = $q AND id = $id AND receipt = $token;",
                ("$q", queue), ("$id", handle.MessageId), ("$token", handle.Token));
            if (command.ExecuteScalar() is not long visibleAt)
            {
                throw QueueErrors.InvalidParameter("ReceiptHandle", receiptHandle,
                    "Message does not exist or is not available for visibility timeout change.");
            }

            if (visibleAt <= now)
            {
                throw QueueErrors.MessageNotInflight();
            }

            Execute(null, "UPDATE messages SET visible_at = $visible WHERE queue = $q AND id = $id;",
                ("$visible", now + (visibilityTimeoutSeconds * 1000L)), ("$q", queue), ("$id", handle.MessageId));
            state.Signal.Pulse();
            return ValueTask.CompletedTask;
        }
    }

    public ValueTask PurgeAsync(string queue, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var state = Find(queue);
            var now = NowMs();
            if (state.LastPurge is { } last && now - last < 60_000)
            {
                throw QueueErrors.PurgeQueueInProgress(queue);
            }

            Execute(null, "DELETE FROM messages WHERE queue = $q;", ("$q", queue));
            state.LastPurge = now;
            return ValueTask.CompletedTask;
        }
    }

    private List<ReceivedMessage> Take(QueueState state, ReceiveOptions options, bool wantNext, SqliteTransaction transaction, out long? nextVisible)
    {
        var settings = state.Settings;
        var now = NowMs();
        var visibleUntil = now + ((options.VisibilityTimeoutSeconds ?? settings.VisibilityTimeout) * 1000L);
        var received = new List<ReceivedMessage>();
        QueueState? deadLetters = null;
        if (settings.Redrive is { } redrive && redrive.DeadLetterTargetArn.StartsWith(ArnOf(""), StringComparison.Ordinal))
        {
            _queues.TryGetValue(redrive.DeadLetterTargetArn[ArnOf("").Length..], out deadLetters);
        }

        var moved = 0;
        ExpireRetained(transaction, state, now);
        while (received.Count < options.MaxNumberOfMessages)
        {
            var sql = settings.Fifo
                ? $"""
                   SELECT {MessageColumns} FROM messages
                   WHERE queue = $q AND visible_at <= $now AND group_id NOT IN (
                     SELECT group_id FROM messages WHERE queue = $q AND visible_at > $now AND receive_count > 0)
                   ORDER BY seq LIMIT $limit;
                   """
                : $"SELECT {MessageColumns} FROM messages WHERE queue = $q AND visible_at <= $now ORDER BY visible_at, seq LIMIT $limit;";
            var rows = new List<MessageRow>();
            using (var select = Command(sql, ("$q", state.Name), ("$now", now), ("$limit", options.MaxNumberOfMessages - received.Count)))
            {
                select.Transaction = transaction;
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add(MessageRow.Read(reader));
                }
            }

            if (rows.Count == 0)
            {
                break;
            }

            var movedNow = 0;
            foreach (var row in rows)
            {
                if (deadLetters is not null && row.ReceiveCount >= settings.Redrive!.MaxReceiveCount)
                {
                    Execute(transaction, "UPDATE messages SET queue = $dlq, visible_at = $now, receive_count = 0, first_receive = NULL, receipt = NULL WHERE seq = $seq;",
                        ("$dlq", deadLetters.Name), ("$now", now), ("$seq", row.Seq));
                    LogRedriven(_logger, row.Id, state.Name, deadLetters.Name, row.ReceiveCount);
                    movedNow++;
                    continue;
                }

                var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                var firstReceive = row.FirstReceive ?? now;
                Execute(transaction, "UPDATE messages SET receive_count = receive_count + 1, first_receive = $first, receipt = $token, visible_at = $visible WHERE seq = $seq;",
                    ("$first", firstReceive), ("$token", token), ("$visible", visibleUntil), ("$seq", row.Seq));
                received.Add(row.ToReceived(new ReceiptHandle(state.Name, row.Id, token).Encode(), firstReceive));
            }

            moved += movedNow;
            if (movedNow == 0)
            {
                break;
            }
        }

        nextVisible = null;
        if (received.Count == 0 && wantNext)
        {
            using var next = Command("SELECT MIN(visible_at) FROM messages WHERE queue = $q AND visible_at > $now;", ("$q", state.Name), ("$now", now));
            next.Transaction = transaction;
            nextVisible = next.ExecuteScalar() as long?;
        }

        if (moved > 0)
        {
            deadLetters!.Signal.Pulse();
        }

        return received;
    }

    private void ExpireRetained(SqliteTransaction? transaction, QueueState state, long now) =>
        Execute(transaction, "DELETE FROM messages WHERE queue = $q AND sent <= $cutoff;",
            ("$q", state.Name), ("$cutoff", now - (state.Settings.MessageRetentionPeriod * 1000L)));
}
