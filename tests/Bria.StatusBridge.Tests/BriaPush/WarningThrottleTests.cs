using Bria.StatusBridge.BriaPush;

namespace Bria.StatusBridge.Tests.BriaPush;

public sealed class WarningThrottleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_warning_per_key_and_interval_then_the_next_says_how_many_were_held_back()
    {
        var throttle = new WarningThrottle(TimeSpan.FromMinutes(1));

        Assert.True(throttle.ShouldLog("bad_signature", Start, out var first));
        var held = Enumerable.Range(1, 500).Count(i => throttle.ShouldLog("bad_signature", Start.AddMilliseconds(i), out _));
        Assert.True(throttle.ShouldLog("stale_timestamp", Start.AddSeconds(1), out _));
        Assert.True(throttle.ShouldLog("bad_signature", Start.AddMinutes(1), out var suppressed));

        Assert.Equal(0, first);
        Assert.Equal(0, held);
        Assert.Equal(500, suppressed);
    }
}
