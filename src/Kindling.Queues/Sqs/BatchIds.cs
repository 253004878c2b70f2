namespace Kindling.Queues.Sqs;

/// <summary>Batch entry ids: 1 to 80 alphanumeric characters, hyphens and underscores.</summary>
internal static class BatchIds
{
    public static bool IsValid(string id) =>
        id.Length is >= 1 and <= 80 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
