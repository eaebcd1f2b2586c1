using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Tests.Polling.Learning;

public sealed class PollPaceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    // Claims this late are on time (a quarter of the minimum interval).
    private static readonly TimeSpan Tolerance = MinInterval / 4;

    private static PollPace Pace() => new(MinInterval, TimeSpan.FromMinutes(1));

    /// <summary>A pace slowed down by 20 s of claims 10 s late.</summary>
    private static PollPace Slowed(ref DateTimeOffset now)
    {
        var pace = Pace();
        Run(pace, TimeSpan.FromSeconds(20), spare: 0, Tolerance + TimeSpan.FromSeconds(10), ref now);
        Assert.True(pace.Factor > 5, $"late claims should slow the pace down; it is {pace.Factor}");
        return pace;
    }

    private static void Run(PollPace pace, TimeSpan span, double spare, TimeSpan lateness, ref DateTimeOffset now)
    {
        for (var step = TimeSpan.Zero; step < span; step += TimeSpan.FromMilliseconds(100))
        {
            now += TimeSpan.FromMilliseconds(100);
            pace.Step(spare, lateness, now);
        }
    }

    [Fact]
    public void A_queue_of_late_polls_moves_the_pace_towards_one_that_absorbs_the_lateness_within_a_few_intervals()
    {
        var pace = Pace();
        var now = Start;
        pace.Step(0, TimeSpan.Zero, now);

        // Polls 1 s later than the tolerance: the budget pays for about one look every 2 s, not every 1 s.
        Run(pace, TimeSpan.FromSeconds(3), spare: 0, Tolerance + TimeSpan.FromSeconds(1), ref now);

        Assert.InRange(pace.Interval.TotalSeconds, 1.5, 2.2);
    }

    [Fact]
    public void Lateness_that_persists_slows_the_pace_down_to_the_ceiling_and_no_further()
    {
        var pace = Pace();
        var now = Start;
        Run(pace, TimeSpan.FromMinutes(30), spare: 0, TimeSpan.FromSeconds(30), ref now);

        Assert.Equal(PollPace.MaxFactor, pace.Factor, 6);
    }

    [Fact]
    public void A_full_bucket_brings_polls_down_by_e_per_time_constant_to_the_minimum_interval_and_no_lower()
    {
        var now = Start;
        var pace = Slowed(ref now);
        var slowed = pace.Factor;

        Run(pace, pace.TimeConstant, spare: 1, TimeSpan.Zero, ref now);
        Assert.InRange(pace.Factor, slowed / Math.E * 0.97, slowed / Math.E * 1.03);

        Run(pace, pace.TimeConstant * 10, spare: 1, TimeSpan.Zero, ref now);
        Assert.Equal(MinInterval, pace.Interval);
        Assert.Equal(1, pace.Factor);
    }

    [Fact]
    public void Calls_left_unspent_speed_the_pace_up_in_proportion_to_how_full_the_bucket_is()
    {
        var halfNow = Start;
        var fullNow = Start;
        var half = Slowed(ref halfNow);
        var full = Slowed(ref fullNow);
        var slowed = Math.Log(full.Factor);

        Run(half, half.TimeConstant, spare: 0.5, TimeSpan.Zero, ref halfNow);
        Run(full, full.TimeConstant, spare: 1, TimeSpan.Zero, ref fullNow);

        Assert.Equal(slowed - 0.5, Math.Log(half.Factor), 2);
        Assert.Equal(slowed - 1, Math.Log(full.Factor), 2);
    }

    [Fact]
    public void A_budget_in_use_with_claims_on_time_holds_the_pace()
    {
        var now = Start;
        var pace = Slowed(ref now);
        var before = pace.Factor;

        // Every call spent (an empty bucket) and the polls ran within the tolerance of their plan: the pace is right.
        Run(pace, TimeSpan.FromMinutes(1), spare: 0, Tolerance, ref now);

        Assert.Equal(before, pace.Factor, 9);
    }

    [Fact]
    public void A_long_pause_between_claims_moves_the_pace_by_at_most_one_time_constant()
    {
        var pace = Pace();
        var now = Start;
        Run(pace, TimeSpan.FromSeconds(40), spare: 0, Tolerance + TimeSpan.FromSeconds(30), ref now);
        var slowed = Math.Log(pace.Factor);
        Assert.True(slowed > 2, $"late claims should slow the pace down; it is {pace.Factor}");

        pace.Step(1, TimeSpan.Zero, now + TimeSpan.FromHours(1));

        Assert.Equal(slowed - 1, Math.Log(pace.Factor), 6);
    }

    private static void Claims(PollPace pace, TimeSpan span, Func<int, bool> heldBack, ref DateTimeOffset now)
    {
        var claim = 0;
        for (var step = TimeSpan.Zero; step < span; step += TimeSpan.FromMilliseconds(100))
        {
            now += TimeSpan.FromMilliseconds(100);
            pace.Budget(heldBack(claim++), now);
        }
    }

    [Fact]
    public void A_spare_budget_leaves_out_the_small_share_and_one_that_holds_polls_back_the_3_percent()
    {
        var pace = Pace();
        var now = Start;
        Assert.Equal(PollPace.SpareSkipShare, pace.SkipShare, 9);

        Claims(pace, pace.TimeConstant * 5, _ => true, ref now);
        Assert.InRange(pace.HeldBack, 0.99, 1);
        Assert.Equal(PollPace.ShortSkipShare, pace.SkipShare, 9);

        // Calls to spare again: within a few time constants the window opens up to the small share.
        Claims(pace, pace.TimeConstant * 5, _ => false, ref now);
        Assert.InRange(pace.HeldBack, 0, 0.01);
        Assert.Equal(PollPace.SpareSkipShare, pace.SkipShare, 9);
    }

    [Fact]
    public void The_share_left_out_moves_with_the_time_the_budget_held_polls_back_in_steps()
    {
        var pace = Pace();
        var now = Start;

        // Every fourth claim held back for long: a quarter of the time, halfway to the short share (3% at half the time).
        Claims(pace, pace.TimeConstant * 10, claim => claim % 4 == 0, ref now);

        Assert.InRange(pace.HeldBack, 0.2, 0.3);
        var halfway = (PollPace.SpareSkipShare + PollPace.ShortSkipShare) / 2;
        Assert.InRange(pace.SkipShare, halfway - 0.0025, halfway + 0.0025);
        Assert.Equal(0, Math.IEEERemainder(pace.SkipShare, 0.0025), 9);

        // Half the time or more is the short share, no more.
        Claims(pace, pace.TimeConstant * 10, claim => claim % 4 != 0, ref now);
        Assert.Equal(PollPace.ShortSkipShare, pace.SkipShare, 9);
    }

    [Fact]
    public void The_time_since_a_claim_counts_as_held_back_only_if_that_claim_was()
    {
        var pace = Pace();
        var now = Start;
        pace.Budget(heldBack: true, now);
        pace.Budget(heldBack: false, now + pace.TimeConstant);
        var afterHeld = pace.HeldBack;

        pace.Budget(heldBack: true, now + (pace.TimeConstant * 2));

        // One time constant held back: 1 - 1/e; the next one was not: it decays by 1/e.
        Assert.Equal(1 - (1 / Math.E), afterHeld, 6);
        Assert.Equal((1 - (1 / Math.E)) / Math.E, pace.HeldBack, 6);
    }
}
