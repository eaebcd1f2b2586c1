namespace Bria.StatusBridge.Tests.Simulator;

/// <summary>A clock that may be set backwards, which the fake clock refuses; used to prove states never go back.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
