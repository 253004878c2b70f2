namespace Kindling.Queues.Engine;

/// <summary>A queue as the engine holds it in memory: its stored definition, parsed settings and waiters' signal.</summary>
internal sealed class QueueState(string name, string arn, Dictionary<string, string> attributes, Dictionary<string, string> tags, long created, long modified)
{
    public string Name { get; } = name;

    public string Arn { get; } = arn;

    public Dictionary<string, string> Attributes { get; set; } = attributes;

    public Dictionary<string, string> Tags { get; set; } = tags;

    public long Created { get; } = created;

    public long Modified { get; set; } = modified;

    public QueueSettings Settings { get; set; } = QueueSettings.From(attributes);

    public QueueSignal Signal { get; } = new();

    public long? LastPurge { get; set; }

    public QueueInfo ToInfo() => new(Name, Arn, new Dictionary<string, string>(Attributes, StringComparer.Ordinal), Created, Modified);
}
