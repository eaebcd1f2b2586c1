using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Tests.Polling.Learning;

public sealed class PollPaceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private static PollPace Pace() => new(MinInterval, TimeSpan.FromMinutes(1));

    private static void Run(PollPace pace, TimeSpan span, bool exhausted, TimeSpan lateness, ref DateTimeOffset now)
    {
        for (var step = TimeSpan.Zero; step < span; step += TimeSpan.FromMilliseconds(100))
        {
            now += TimeSpan.FromMilliseconds(100);
            pace.Step(exhausted, lateness, now);
        }
    }

    [Fact]
    public void A_spare_budget_brings_polls_down_to_the_minimum_interval_and_no_lower_three_times_faster_than_they_slowed()
    {
        var pace = Pace();
        var now = Start;
        Assert.Equal(1, pace.Factor);
        Run(pace, TimeSpan.FromMinutes(1), exhausted: true, TimeSpan.FromSeconds(2), ref now);
        Assert.True(pace.Factor > 5, $"late claims should slow the pace down; it is {pace.Factor}");

        Run(pace, TimeSpan.FromSeconds(21), exhausted: false, TimeSpan.Zero, ref now);

        Assert.Equal(MinInterval, pace.Interval);
        Assert.Equal(1, pace.Factor);
    }

    [Fact]
    public void Claims_running_late_slow_the_pace_down_by_e_per_time_constant_up_to_the_ceiling()
    {
        var pace = Pace();
        var now = Start;
        Run(pace, TimeSpan.FromMinutes(2), exhausted: false, TimeSpan.Zero, ref now);

        Run(pace, pace.TimeConstant, exhausted: true, TimeSpan.FromSeconds(2), ref now);

        Assert.InRange(pace.Factor, Math.E * 0.97, Math.E * 1.03);
        Run(pace, TimeSpan.FromMinutes(5), exhausted: true, TimeSpan.FromSeconds(2), ref now);
        Assert.Equal(PollPace.MaxFactor, pace.Factor, 6);
    }

    [Fact]
    public void A_budget_in_use_with_claims_on_time_holds_the_pace()
    {
        var pace = Pace();
        var now = Start;
        var before = pace.Factor;

        // Exhausted, but the polls ran within a quarter of the minimum interval of their plan: the pace is right.
        Run(pace, TimeSpan.FromMinutes(1), exhausted: true, TimeSpan.FromMilliseconds(200), ref now);

        Assert.Equal(before, pace.Factor, 9);
    }

    [Fact]
    public void A_long_pause_between_claims_moves_the_pace_by_at_most_one_time_constant()
    {
        var pace = Pace();
        var now = Start;
        Run(pace, pace.TimeConstant * 4, exhausted: true, TimeSpan.FromSeconds(2), ref now);
        Assert.InRange(pace.Factor, Math.Exp(3.95), Math.Exp(4));

        pace.Step(false, TimeSpan.Zero, now + TimeSpan.FromHours(1));

        // Speeding up is three times as fast: three of the four time constants undone at most.
        Assert.InRange(pace.Factor, Math.Exp(0.95), Math.Exp(1));
    }
}
