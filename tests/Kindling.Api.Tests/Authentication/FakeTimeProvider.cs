namespace Kindling.Api.Tests.Authentication;

/// <summary>A clock that reads a fixed instant the test sets.</summary>
internal sealed class FakeTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
