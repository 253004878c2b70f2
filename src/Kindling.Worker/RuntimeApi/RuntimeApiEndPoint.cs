using System.Net;

namespace Kindling.Worker.RuntimeApi;

/// <summary>
/// The endpoint Kestrel "listens" on for the Runtime API: it stands for every environment's listening socket,
/// and only <see cref="RuntimeApiTransport"/> can bind it (the built-in socket transport declines it).
/// </summary>
internal sealed class RuntimeApiEndPoint : EndPoint
{
    public override string ToString() => "kindling-runtime-api";
}
