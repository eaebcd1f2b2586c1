namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The system clock, moved forward when the scenario says so: a simulator on it keeps a long job running
/// until <see cref="Jump"/>, then answers its outcome, whatever the machine's load did to the scenario's pace.</summary>
internal sealed class JumpingClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
