using Kindling.Worker.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kindling.Worker.Tests.Telemetry;

public sealed class TelemetryHubTests
{
    [Fact]
    public async Task EndInit_NobodySubscribed_ClosingRecordsAreNotBuiltAndTheBacklogEnds()
    {
        await using var hub = new TelemetryHub(
            (_, _) => throw new InvalidOperationException("nobody subscribed: nothing connects"),
            TimeProvider.System, NullLogger.Instance, "environment", jsonLogs: false);
        Assert.True(hub.Active);
        var built = false;

        hub.EndInit(() =>
        {
            built = true;
            return [];
        });

        Assert.False(built);
        Assert.False(hub.Active);
    }
}
