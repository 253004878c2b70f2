using System.Threading.Channels;

namespace Kindling.Functions.State;

/// <summary>Names of functions whose versions have a pending create or update to validate.</summary>
public sealed class FunctionStateQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Prefix of the keys naming event source mappings rather than functions (a function name cannot hold a colon).
    /// </summary>
    public const string MappingPrefix = "esm:";

    /// <summary>Asks for the function's (or, with <see cref="MappingPrefix"/>, the mapping's) pending work to be done.</summary>
    public void Enqueue(string functionName) => _channel.Writer.TryWrite(functionName);

    /// <summary>The reader the reconciler drains.</summary>
    internal ChannelReader<string> Reader => _channel.Reader;
}
