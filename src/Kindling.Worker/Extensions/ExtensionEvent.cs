namespace Kindling.Worker.Extensions;

/// <summary>One INVOKE or SHUTDOWN event for an extension's <c>event/next</c>: its JSON body and its id.</summary>
internal sealed record ExtensionEvent(string EventId, byte[] Body, bool IsShutdown);
