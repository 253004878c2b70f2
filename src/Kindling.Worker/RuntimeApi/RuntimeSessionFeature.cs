namespace Kindling.Worker.RuntimeApi;

/// <summary>The connection feature naming the environment a Runtime API connection came from.</summary>
internal sealed class RuntimeSessionFeature
{
    public RuntimeSessionFeature(RuntimeSession session)
    {
        Session = session;
    }

    public RuntimeSession Session { get; }
}
