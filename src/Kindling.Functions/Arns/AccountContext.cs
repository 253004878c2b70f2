namespace Kindling.Functions.Arns;

/// <summary>The region and account this server presents itself as; every ARN it builds uses them.</summary>
public sealed record AccountContext(string Region, string AccountId)
{
    /// <summary>The ARN of a function, with its qualifier when one is given.</summary>
    public string FunctionArn(string name, string? qualifier = null) =>
        qualifier is null
            ? $"arn:aws:lambda:{Region}:{AccountId}:function:{name}"
            : $"arn:aws:lambda:{Region}:{AccountId}:function:{name}:{qualifier}";

    /// <summary>The ARN of a layer (no version).</summary>
    public string LayerArn(string name) => $"arn:aws:lambda:{Region}:{AccountId}:layer:{name}";

    /// <summary>The ARN of a layer version.</summary>
    public string LayerVersionArn(string name, long version) => $"{LayerArn(name)}:{version}";

    /// <summary>The ARN of an event source mapping.</summary>
    public string EventSourceMappingArn(string uuid) => $"arn:aws:lambda:{Region}:{AccountId}:event-source-mapping:{uuid}";
}
