using System.Net;

namespace Kindling.Queues.Errors;

/// <summary>The errors SQS sends, with its codes and messages.</summary>
public static class QueueErrors
{
    private const HttpStatusCode BadRequest = HttpStatusCode.BadRequest;

    /// <summary>The queue named does not exist.</summary>
    public static QueueException QueueDoesNotExist() =>
        new(BadRequest, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");

    /// <summary>CreateQueue with attributes other than the existing queue's.</summary>
    public static QueueException QueueNameExists(string attribute) =>
        new(BadRequest, "QueueNameExists", "QueueAlreadyExists", $"A queue already exists with the same name and a different value for attribute {attribute}");

    /// <summary>A parameter's value is out of range or malformed.</summary>
    public static QueueException InvalidParameterValue(string message) =>
        new(BadRequest, "InvalidParameterValueException", "InvalidParameterValue", message);

    /// <summary>The standard wording of an invalid parameter.</summary>
    public static QueueException InvalidParameter(string name, object? value, string reason) =>
        InvalidParameterValue($"Value {value} for parameter {name} is invalid. Reason: {reason}");

    /// <summary>A required parameter is missing.</summary>
    public static QueueException MissingParameter(string name) =>
        new(BadRequest, "MissingRequiredParameterException", "MissingParameter", $"The request must contain the parameter {name}.");

    /// <summary>An attribute name SQS does not know.</summary>
    public static QueueException InvalidAttributeName(string name) =>
        new(BadRequest, "InvalidAttributeName", "InvalidAttributeName", $"Unknown Attribute {name}.");

    /// <summary>An attribute value out of range.</summary>
    public static QueueException InvalidAttributeValue(string name, string? reason = null) =>
        new(BadRequest, "InvalidAttributeValue", "InvalidAttributeValue",
            reason is null ? $"Invalid value for the parameter {name}." : $"Invalid value for the parameter {name}. Reason: {reason}");

    /// <summary>A receipt handle that Kindling did not issue.</summary>
    public static QueueException ReceiptHandleIsInvalid(string handle) =>
        new(BadRequest, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", $"The input receipt handle \"{handle}\" is not a valid receipt handle.");

    /// <summary>ChangeMessageVisibility on a message that is not in flight.</summary>
    public static QueueException MessageNotInflight() =>
        new(BadRequest, "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "Message is not in flight.");

    /// <summary>A message body with characters SQS does not allow.</summary>
    public static QueueException InvalidMessageContents() =>
        new(BadRequest, "InvalidMessageContents", "InvalidMessageContents",
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");

    /// <summary>A second purge within 60 seconds.</summary>
    public static QueueException PurgeQueueInProgress(string name) =>
        new(HttpStatusCode.Forbidden, "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress",
            $"Only one PurgeQueue operation on {name} is allowed every 60 seconds.");

    /// <summary>A batch with no entries.</summary>
    public static QueueException EmptyBatchRequest(string entryType) =>
        new(BadRequest, "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", $"There should be at least one {entryType} in the request.");

    /// <summary>A batch with more than ten entries.</summary>
    public static QueueException TooManyEntriesInBatchRequest(int count) =>
        new(BadRequest, "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            $"Maximum number of entries per request are 10. You have sent {count}.");

    /// <summary>Two entries of a batch with one id.</summary>
    public static QueueException BatchEntryIdsNotDistinct(string id) =>
        new(BadRequest, "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", $"Id {id} repeated.");

    /// <summary>A batch entry id with characters SQS does not allow.</summary>
    public static QueueException InvalidBatchEntryId() =>
        new(BadRequest, "InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");

    /// <summary>A batch whose messages together exceed the maximum size.</summary>
    public static QueueException BatchRequestTooLong(long size, int max) =>
        new(BadRequest, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
            $"Batch requests cannot be longer than {max} bytes. You have sent {size} bytes.");

    /// <summary>A queue URL that does not name a queue of this endpoint.</summary>
    public static QueueException InvalidAddress(string url) =>
        new(HttpStatusCode.NotFound, "InvalidAddress", "InvalidAddress", $"The address {url} is not valid for this endpoint.");
}
