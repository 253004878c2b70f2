using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kindling.Queues.Engine;
using Kindling.Queues.Errors;
using Microsoft.AspNetCore.Http;

namespace Kindling.Queues.Sqs;

/// <summary>
/// SQS's operations over the engine, protocol-neutral: the input in the JSON protocol's shape, the result likewise
/// (null for operations that return nothing).
/// </summary>
internal sealed partial class SqsOperations(IQueueEngine engine, QueueUrls urls, CancellationToken stopping)
{
    public async Task<JsonObject?> ExecuteAsync(string action, JsonObject input, HttpRequest request, string senderId, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case "CreateQueue":
            {
                var name = SqsInput.Required(input, "QueueName");
                var tags = SqsInput.Map(input, input.ContainsKey("tags") ? "tags" : "Tags");
                var queue = await engine.CreateQueueAsync(name, SqsInput.Map(input, "Attributes"), tags, cancellationToken);
                return new JsonObject { ["QueueUrl"] = urls.For(request, queue.Name) };
            }

            case "GetQueueUrl":
            {
                var name = SqsInput.Required(input, "QueueName");
                var queue = await engine.GetQueueAsync(name, cancellationToken) ?? throw QueueErrors.QueueDoesNotExist();
                return new JsonObject { ["QueueUrl"] = urls.For(request, queue.Name) };
            }

            case "ListQueues":
                return await ListQueuesAsync(input, request, cancellationToken);
            case "DeleteQueue":
                await engine.DeleteQueueAsync(Queue(input), cancellationToken);
                return null;
            case "GetQueueAttributes":
                return await GetAttributesAsync(input, cancellationToken);
            case "SetQueueAttributes":
                await engine.SetAttributesAsync(Queue(input), SqsInput.Map(input, "Attributes"), cancellationToken);
                return null;
            case "PurgeQueue":
                await engine.PurgeAsync(Queue(input), cancellationToken);
                return null;
            case "TagQueue":
                await engine.TagAsync(Queue(input), SqsInput.Map(input, "Tags"), cancellationToken);
                return null;
            case "UntagQueue":
                await engine.UntagAsync(Queue(input), SqsInput.List(input, "TagKeys"), cancellationToken);
                return null;
            case "ListQueueTags":
            {
                var tags = await engine.ListTagsAsync(Queue(input), cancellationToken);
                return tags.Count == 0 ? new JsonObject() : new JsonObject { ["Tags"] = ToJson(tags) };
            }

            case "ListDeadLetterSourceQueues":
                return await DeadLetterSourcesAsync(input, request, cancellationToken);
            case "SendMessage":
            {
                var sent = await engine.SendAsync(Queue(input), Outgoing(input, senderId), cancellationToken);
                return SendResult(sent, null);
            }

            case "SendMessageBatch":
                return await SendBatchAsync(input, senderId, cancellationToken);
            case "ReceiveMessage":
                return await ReceiveAsync(input, cancellationToken);
            case "DeleteMessage":
                await engine.DeleteMessageAsync(Queue(input), SqsInput.Required(input, "ReceiptHandle"), cancellationToken);
                return null;
            case "DeleteMessageBatch":
                return await DeleteBatchAsync(input, cancellationToken);
            case "ChangeMessageVisibility":
                await engine.ChangeVisibilityAsync(Queue(input), SqsInput.Required(input, "ReceiptHandle"),
                    SqsInput.Int(input, "VisibilityTimeout") ?? throw QueueErrors.MissingParameter("VisibilityTimeout"), cancellationToken);
                return null;
            case "ChangeMessageVisibilityBatch":
                return await BatchAsync(input, "ChangeMessageVisibilityBatchRequestEntry", async (queue, entry) =>
                {
                    await engine.ChangeVisibilityAsync(queue, SqsInput.Required(entry, "ReceiptHandle"),
                        SqsInput.Int(entry, "VisibilityTimeout") ?? throw QueueErrors.MissingParameter("VisibilityTimeout"), cancellationToken);
                    return new JsonObject { ["Id"] = SqsInput.String(entry, "Id") };
                });
            default:
                throw new QueueException(System.Net.HttpStatusCode.BadRequest, "com.amazon.coral.service#UnknownOperationException", "InvalidAction",
                    $"The action {action} is not valid for this endpoint.");
        }
    }

    private string Queue(JsonObject input) => urls.NameOf(SqsInput.Required(input, "QueueUrl"));

    private async Task<JsonObject> ListQueuesAsync(JsonObject input, HttpRequest request, CancellationToken cancellationToken)
    {
        var max = SqsInput.Int(input, "MaxResults");
        if (max is < 1 or > 1000)
        {
            throw QueueErrors.InvalidParameter("MaxResults", max, "MaxResults must be an integer between 1 and 1000.");
        }

        var names = await engine.ListQueuesAsync(SqsInput.String(input, "QueueNamePrefix"), cancellationToken);
        var after = SqsInput.String(input, "NextToken") is { Length: > 0 } token ? DecodeToken(token) : null;
        var page = names.Where(n => after is null || string.CompareOrdinal(n, after) > 0).Take(max ?? 1000).ToList();
        var result = new JsonObject();
        if (page.Count > 0)
        {
            result["QueueUrls"] = new JsonArray(page.Select(n => (JsonNode?)JsonValue.Create(urls.For(request, n))).ToArray());
        }

        if (max is not null && page.Count == max && names.Any(n => string.CompareOrdinal(n, page[^1]) > 0))
        {
            result["NextToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1]));
        }

        return result;
    }

    private async Task<JsonObject> DeadLetterSourcesAsync(JsonObject input, HttpRequest request, CancellationToken cancellationToken)
    {
        var target = await engine.GetQueueAsync(Queue(input), cancellationToken) ?? throw QueueErrors.QueueDoesNotExist();
        var sources = new JsonArray();
        foreach (var name in await engine.ListQueuesAsync(null, cancellationToken))
        {
            var queue = await engine.GetQueueAsync(name, cancellationToken);
            if (queue?.Attributes.GetValueOrDefault(QueueAttributeNames.RedrivePolicy) is { Length: > 0 } policy
                && RedrivePolicy.Parse(policy).DeadLetterTargetArn == target.Arn)
            {
                sources.Add(urls.For(request, name));
            }
        }

        return new JsonObject { ["queueUrls"] = sources };
    }

    private async Task<JsonObject> GetAttributesAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var queue = Queue(input);
        var requested = SqsInput.List(input, "AttributeNames");
        var all = await engine.GetAttributesAsync(queue, cancellationToken);
        var result = new JsonObject();
        foreach (var name in requested)
        {
            if (name != QueueAttributeNames.All && !QueueAttributeNames.Settable.Contains(name) && !QueueAttributeNames.Computed.Contains(name))
            {
                throw QueueErrors.InvalidAttributeName(name);
            }
        }

        foreach (var (name, value) in all)
        {
            if (requested.Contains(QueueAttributeNames.All) || requested.Contains(name))
            {
                result[name] = value;
            }
        }

        return result.Count == 0 ? new JsonObject() : new JsonObject { ["Attributes"] = result };
    }

    private async Task<JsonObject> BatchAsync(JsonObject input, string entryType, Func<string, JsonObject, Task<JsonObject>> run)
    {
        var queue = Queue(input);
        var entries = CheckBatch(input, entryType);
        var successful = new JsonArray();
        var failed = new JsonArray();
        foreach (var entry in entries)
        {
            try
            {
                successful.Add(await run(queue, entry));
            }
            catch (QueueException ex) when (ex.Type != "QueueDoesNotExist")
            {
                failed.Add(Failure(entry, ex));
            }
        }

        return BatchResult(successful, failed);
    }

    /// <summary>The valid entries go to the engine together: one commit for the batch.</summary>
    private async Task<JsonObject> SendBatchAsync(JsonObject input, string senderId, CancellationToken cancellationToken)
    {
        var queue = Queue(input);
        var entries = CheckBatch(input, "SendMessageBatchRequestEntry");
        var failed = new JsonArray();
        var valid = new List<(JsonObject Entry, OutgoingMessage Message)>();
        foreach (var entry in entries)
        {
            try
            {
                valid.Add((entry, Outgoing(entry, senderId)));
            }
            catch (QueueException ex)
            {
                failed.Add(Failure(entry, ex));
            }
        }

        var successful = new JsonArray();
        if (valid.Count > 0)
        {
            var outcomes = await engine.SendBatchAsync(queue, valid.Select(v => v.Message).ToList(), cancellationToken);
            for (var i = 0; i < outcomes.Count; i++)
            {
                if (outcomes[i].Error is { } error)
                {
                    failed.Add(Failure(valid[i].Entry, error));
                }
                else
                {
                    successful.Add(SendResult(outcomes[i].Message!, SqsInput.String(valid[i].Entry, "Id")));
                }
            }
        }

        return BatchResult(successful, failed);
    }

    private async Task<JsonObject> DeleteBatchAsync(JsonObject input, CancellationToken cancellationToken)
    {
        var queue = Queue(input);
        var entries = CheckBatch(input, "DeleteMessageBatchRequestEntry");
        var failed = new JsonArray();
        var valid = new List<(JsonObject Entry, string Handle)>();
        foreach (var entry in entries)
        {
            try
            {
                valid.Add((entry, SqsInput.Required(entry, "ReceiptHandle")));
            }
            catch (QueueException ex)
            {
                failed.Add(Failure(entry, ex));
            }
        }

        var successful = new JsonArray();
        if (valid.Count > 0)
        {
            var errors = await engine.DeleteMessageBatchAsync(queue, valid.Select(v => v.Handle).ToList(), cancellationToken);
            for (var i = 0; i < errors.Count; i++)
            {
                if (errors[i] is { } error)
                {
                    failed.Add(Failure(valid[i].Entry, error));
                }
                else
                {
                    successful.Add(new JsonObject { ["Id"] = SqsInput.String(valid[i].Entry, "Id") });
                }
            }
        }

        return BatchResult(successful, failed);
    }

    private static List<JsonObject> CheckBatch(JsonObject input, string entryType)
    {
        var entries = SqsInput.Entries(input);
        if (entries.Count == 0)
        {
            throw QueueErrors.EmptyBatchRequest(entryType);
        }

        if (entries.Count > 10)
        {
            throw QueueErrors.TooManyEntriesInBatchRequest(entries.Count);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = SqsInput.String(entry, "Id") ?? "";
            if (!BatchIds.IsValid(id))
            {
                throw QueueErrors.InvalidBatchEntryId();
            }

            if (!seen.Add(id))
            {
                throw QueueErrors.BatchEntryIdsNotDistinct(id);
            }
        }

        if (entryType == "SendMessageBatchRequestEntry")
        {
            var size = entries.Sum(e => (long)Encoding.UTF8.GetByteCount(SqsInput.String(e, "MessageBody") ?? ""));
            if (size > QueueAttributeRules.MaxMessageSize)
            {
                throw QueueErrors.BatchRequestTooLong(size, QueueAttributeRules.MaxMessageSize);
            }
        }

        return entries;
    }

    private static JsonObject Failure(JsonObject entry, QueueException error) => new()
    {
        ["Id"] = SqsInput.String(entry, "Id"),
        ["SenderFault"] = error.SenderFault,
        ["Code"] = error.Code,
        ["Message"] = error.Message,
    };

    private static JsonObject BatchResult(JsonArray successful, JsonArray failed)
    {
        var result = new JsonObject();
        if (successful.Count > 0)
        {
            result["Successful"] = successful;
        }

        if (failed.Count > 0)
        {
            result["Failed"] = failed;
        }

        return result;
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json;
    }

    private static string? DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw QueueErrors.InvalidParameter("NextToken", token, "Invalid NextToken value.");
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
