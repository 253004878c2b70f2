namespace Kindling.Worker.RuntimeApi;

/// <summary>The Runtime API's fixed response bodies and limits, as Lambda sends them (lambda-api.md §4).</summary>
internal static class RuntimeApiBodies
{
    /// <summary>Largest response or error a runtime may post for a buffered invoke (6 MB + 100 bytes).</summary>
    public const int MaxPayloadBytes = 6_291_556;

    /// <summary>A response streamed to its caller as it comes may be larger (Lambda: 200 MB).</summary>
    public const long MaxStreamedBytes = 200L * 1024 * 1024;

    public static ReadOnlyMemory<byte> Accepted { get; } = """{"status":"OK"}"""u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidRequestId { get; } =
        """{"errorType":"InvalidRequestID","errorMessage":"Invalid request ID"}"""u8.ToArray();

    public static ReadOnlyMemory<byte> RequestEntityTooLarge { get; } =
        """{"errorType":"RequestEntityTooLarge","errorMessage":"Exceeded maximum allowed payload size (6291556 bytes)."}"""u8.ToArray();

    public static ReadOnlyMemory<byte> InitErrorNotAllowed { get; } =
        """{"errorType":"InvalidStateTransition","errorMessage":"State transition from Ready to InitError failed for runtime. Error: State transition is not allowed"}"""u8.ToArray();

    public static ReadOnlyMemory<byte> NotFound { get; } = """{"errorType":"NotFound","errorMessage":"Not found"}"""u8.ToArray();

    public static ReadOnlyMemory<byte> MethodNotAllowed { get; } =
        """{"errorType":"MethodNotAllowed","errorMessage":"Method not allowed"}"""u8.ToArray();
}
