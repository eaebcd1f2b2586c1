using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Tests.Polling.Learning;

public sealed class PollPaceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private static PollPace Pace() => new(MinInterval, TimeSpan.FromMinutes(1));

    private static void Run(PollPace pace, TimeSpan span, TimeSpan lateness, ref DateTimeOffset now)
    {
        for (var step = TimeSpan.Zero; step < span; step += TimeSpan.FromMilliseconds(100))
        {
            now += TimeSpan.FromMilliseconds(100);
            pace.Step(lateness, now);
        }
    }

    [Fact]
    public void With_claims_on_time_the_interval_is_the_minimum()
    {
        var pace = Pace();
        var now = Start;
        Assert.Equal(MinInterval, pace.Interval);

        Run(pace, TimeSpan.FromMinutes(1), TimeSpan.Zero, ref now);

        Assert.Equal(MinInterval, pace.Interval);
        Assert.Equal(1, pace.Factor, 9);
    }

    [Fact]
    public void A_queue_of_late_polls_stretches_the_interval_by_its_lateness_within_a_few_time_constants()
    {
        var pace = Pace();
        var now = Start;

        // Claimed polls run 2 s behind their planned time: two looks at a running job are 3 s apart.
        Run(pace, pace.TimeConstant, TimeSpan.FromSeconds(2), ref now);
        var afterOne = pace.Interval.TotalSeconds;
        Run(pace, pace.TimeConstant * 4, TimeSpan.FromSeconds(2), ref now);

        // One time constant: 1 - 1/e of the way (one 100-ms step later, as the lateness of a claim holds until the next).
        Assert.InRange(afterOne, 1 + (2 * (1 - (1 / Math.E)) * 0.98), 1 + (2 * (1 - (1 / Math.E))));
        Assert.InRange(pace.Interval.TotalSeconds, 2.95, 3);
        Assert.InRange(pace.Factor, 2.95, 3);

        // The queue drains: back to the minimum interval.
        Run(pace, pace.TimeConstant * 10, TimeSpan.Zero, ref now);
        Assert.InRange(pace.Interval.TotalSeconds, 1, 1.001);
    }

    [Fact]
    public void The_time_since_a_claim_counts_at_that_claims_lateness_and_a_long_pause_as_one_time_constant()
    {
        var pace = Pace();
        var now = Start;
        pace.Step(TimeSpan.FromSeconds(3), now);
        pace.Step(TimeSpan.Zero, now + pace.TimeConstant);
        var afterLate = pace.Interval.TotalSeconds - 1;

        // An hour idle, then a claim on time: the hour weighs as one time constant at the previous claim's lateness (0).
        pace.Step(TimeSpan.Zero, now + TimeSpan.FromHours(1));

        Assert.Equal(3 * (1 - (1 / Math.E)), afterLate, 6);
        Assert.Equal(3 * (1 - (1 / Math.E)) / Math.E, pace.Interval.TotalSeconds - 1, 6);
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
