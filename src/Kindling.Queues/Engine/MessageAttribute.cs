namespace Kindling.Queues.Engine;

/// <summary>A message attribute: its data type (<c>String</c>, <c>Number</c>, <c>Binary</c>, with an optional custom label) and value.</summary>
public sealed record MessageAttribute(string DataType, string? StringValue, byte[]? BinaryValue)
{
    /// <summary>True when the value is carried in <see cref="BinaryValue"/>.</summary>
    public bool IsBinary => DataType.StartsWith("Binary", StringComparison.Ordinal);
}
