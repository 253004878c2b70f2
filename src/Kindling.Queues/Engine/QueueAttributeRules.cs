using System.Globalization;
using System.Text.RegularExpressions;
using Kindling.Queues.Errors;

namespace Kindling.Queues.Engine;

/// <summary>SQS's defaults, ranges and name rules for queue attributes.</summary>
internal static partial class QueueAttributeRules
{
    /// <summary>AWS raised the maximum (and default) message size to 1 MiB in August 2025.</summary>
    public const int MaxMessageSize = 1_048_576;

    private static readonly Dictionary<string, (int Min, int Max)> Ranges = new(StringComparer.Ordinal)
    {
        [QueueAttributeNames.DelaySeconds] = (0, 900),
        [QueueAttributeNames.MaximumMessageSize] = (1024, MaxMessageSize),
        [QueueAttributeNames.MessageRetentionPeriod] = (60, 1_209_600),
        [QueueAttributeNames.ReceiveMessageWaitTimeSeconds] = (0, 20),
        [QueueAttributeNames.VisibilityTimeout] = (0, 43_200),
        [QueueAttributeNames.KmsDataKeyReusePeriodSeconds] = (60, 86_400),
    };

    private static readonly string[] FifoOnly =
    [
        QueueAttributeNames.ContentBasedDeduplication, QueueAttributeNames.DeduplicationScope, QueueAttributeNames.FifoThroughputLimit,
    ];

    public static void ValidateName(string name, bool fifo)
    {
        if (fifo ? !FifoName().IsMatch(name) : !StandardName().IsMatch(name))
        {
            throw QueueErrors.InvalidParameterValue(fifo
                ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
                : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
    }

    /// <summary>The attributes of a new queue: SQS's defaults overlaid with the validated ones given.</summary>
    public static Dictionary<string, string> ForCreate(string name, IReadOnlyDictionary<string, string> given)
    {
        var fifo = given.TryGetValue(QueueAttributeNames.FifoQueue, out var f) && Bool(QueueAttributeNames.FifoQueue, f) == "true";
        ValidateName(name, fifo || name.EndsWith(".fifo", StringComparison.Ordinal));
        if (!fifo && name.EndsWith(".fifo", StringComparison.Ordinal))
        {
            throw QueueErrors.InvalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [QueueAttributeNames.VisibilityTimeout] = "30",
            [QueueAttributeNames.MaximumMessageSize] = MaxMessageSize.ToString(CultureInfo.InvariantCulture),
            [QueueAttributeNames.MessageRetentionPeriod] = "345600",
            [QueueAttributeNames.DelaySeconds] = "0",
            [QueueAttributeNames.ReceiveMessageWaitTimeSeconds] = "0",
            [QueueAttributeNames.SqsManagedSseEnabled] = "true",
        };
        if (fifo)
        {
            attributes[QueueAttributeNames.FifoQueue] = "true";
            attributes[QueueAttributeNames.ContentBasedDeduplication] = "false";
            attributes[QueueAttributeNames.DeduplicationScope] = "queue";
            attributes[QueueAttributeNames.FifoThroughputLimit] = "perQueue";
        }

        foreach (var (key, value) in Normalize(given, fifo, creating: true))
        {
            attributes[key] = value;
        }

        if (attributes.ContainsKey(QueueAttributeNames.KmsMasterKeyId))
        {
            attributes.Remove(QueueAttributeNames.SqsManagedSseEnabled);
        }

        return attributes;
    }

    /// <summary>Validates attributes and returns them in SQS's canonical form.</summary>
    public static Dictionary<string, string> Normalize(IReadOnlyDictionary<string, string> given, bool fifo, bool creating)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in given)
        {
            if (!QueueAttributeNames.Settable.Contains(name) || (!fifo && FifoOnly.Contains(name)))
            {
                throw QueueErrors.InvalidAttributeName(name);
            }

            if (Ranges.TryGetValue(name, out var range))
            {
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || number < range.Min || number > range.Max)
                {
                    throw QueueErrors.InvalidAttributeValue(name);
                }

                result[name] = number.ToString(CultureInfo.InvariantCulture);
                continue;
            }

            switch (name)
            {
                case QueueAttributeNames.FifoQueue:
                    var normalized = Bool(name, value);
                    if (!creating || (normalized == "true") != fifo)
                    {
                        throw QueueErrors.InvalidAttributeValue(name, "Modifying queue type is not supported.");
                    }

                    if (fifo)
                    {
                        result[name] = normalized;
                    }

                    break;
                case QueueAttributeNames.ContentBasedDeduplication or QueueAttributeNames.SqsManagedSseEnabled:
                    result[name] = Bool(name, value);
                    break;
                case QueueAttributeNames.DeduplicationScope when value is not ("queue" or "messageGroup"):
                case QueueAttributeNames.FifoThroughputLimit when value is not ("perQueue" or "perMessageGroupId"):
                    throw QueueErrors.InvalidAttributeValue(name);
                case QueueAttributeNames.RedrivePolicy:
                    result[name] = value.Length == 0 ? "" : RedrivePolicy.Parse(value).ToJson();
                    break;
                default:
                    result[name] = value;
                    break;
            }
        }

        return result;
    }

    private static string Bool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" => "true",
        "false" => "false",
        _ => throw QueueErrors.InvalidAttributeValue(name),
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex StandardName();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,75}\.fifo$")]
    private static partial Regex FifoName();
}
