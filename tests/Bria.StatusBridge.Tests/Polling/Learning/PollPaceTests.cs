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

    // A bucket sustaining 16 calls per second (960 a minute).
    private const double Sustained = 16;

    private static PollPace Budgeted() => new(MinInterval, TimeSpan.FromMinutes(1), Sustained / 1000);

    /// <summary>The shared bucket's counts: every call granted, and those of them to looks taken early.</summary>
    private sealed class SharedCount
    {
        public double Granted { get; set; }

        public double Early { get; set; }
    }

    /// <summary>A fleet of <paramref name="replicas"/> paces claiming from one queue: <paramref name="inWindow"/> running
    /// jobs inside their windows, each looked at once per planned interval (or as the bucket allows, the queue running
    /// late by what it cannot cover), <paramref name="outsidePerSecond"/> calls outside the windows, and looks taken
    /// early with up to <paramref name="earlyPerSecond"/> of the calls the bucket has left. Each replica claims its
    /// share and reads the shared count.</summary>
    private static void Fleet(
        PollPace[] replicas, int inWindow, double outsidePerSecond, TimeSpan span, ref DateTimeOffset now, SharedCount count, double earlyPerSecond = 0)
    {
        var step = TimeSpan.FromMilliseconds(100);
        for (var at = TimeSpan.Zero; at < span; at += step)
        {
            now += step;
            var planned = replicas[0].Planned.TotalSeconds;
            var wanted = (inWindow / planned) + outsidePerSecond;
            var spent = Math.Min(wanted, Sustained);
            var insideSpent = spent * (inWindow / planned) / wanted;
            // Looks at the jobs inside come as often as the calls left for them allow.
            var lateness = TimeSpan.FromSeconds(Math.Max(0, (inWindow / insideSpent) - planned));
            var early = Math.Min(earlyPerSecond, Sustained - spent);
            count.Granted += (spent + early) * step.TotalSeconds;
            count.Early += early * step.TotalSeconds;
            foreach (var pace in replicas)
            {
                // Only the share of a claim's polls inside the windows counts, not their number: in thousandths.
                pace.Step(lateness, now);
                pace.Spend(1000, (int)Math.Round(1000 * insideSpent / spent), (long)count.Granted, (long)count.Early, now);
            }
        }
    }

    [Fact]
    public void Without_a_sustained_rate_the_planned_interval_stays_the_minimum()
    {
        var pace = Pace();
        var now = Start;
        var count = new SharedCount();

        Fleet([pace], 60, 0, TimeSpan.FromMinutes(5), ref now, count);

        Assert.Equal(MinInterval, pace.Planned);
    }

    [Fact]
    public void While_the_budget_is_spare_looks_are_planned_a_minimum_interval_apart()
    {
        var pace = Budgeted();
        var now = Start;
        var count = new SharedCount();

        // 10 jobs inside the windows at one look a second, 2 calls a second outside: 12 of the 16 the bucket sustains.
        Fleet([pace], 10, 2, TimeSpan.FromMinutes(5), ref now, count);

        Assert.Equal(MinInterval, pace.Planned);
        Assert.InRange(pace.CallsPerSecond, 11.5, 12.5);
        Assert.Equal(PollPace.SpareSkipShare, pace.SkipShare, 9);
    }

    [Fact]
    public void While_the_budget_binds_every_replica_plans_the_interval_that_spends_the_target_share_of_it()
    {
        PollPace[] replicas = [Budgeted(), Budgeted()];
        var now = Start;
        var count = new SharedCount();

        // 40 jobs inside the windows and 4 calls a second outside: at a look per second they would need 44 calls a
        // second; the budget leaves 0.99 * 16 - 4 = 11.84 for the 40, a look every 3.38 s. Each replica claims half.
        Fleet(replicas, 40, 4, replicas[0].PlannedTimeConstant * 8, ref now, count);

        var expected = 40 / ((PollPace.TargetUse * Sustained) - 4);
        foreach (var pace in replicas)
        {
            Assert.InRange(pace.Planned.TotalSeconds, expected * 0.98, expected * 1.02);
            Assert.InRange(pace.Interval.TotalSeconds, expected * 0.98, expected * 1.03);
            Assert.Equal(PollPace.ShortSkipShare, pace.SkipShare, 9);
        }

        // Half the jobs: the plan comes down to the looks the budget affords them, then to the minimum.
        Fleet(replicas, 20, 4, replicas[0].PlannedTimeConstant * 8, ref now, count);
        Assert.InRange(replicas[0].Planned.TotalSeconds, (20 / ((PollPace.TargetUse * Sustained) - 4)) * 0.98, (20 / ((PollPace.TargetUse * Sustained) - 4)) * 1.02);
        Fleet(replicas, 5, 4, replicas[0].PlannedTimeConstant * 8, ref now, count);
        Assert.InRange(replicas[0].Planned.TotalSeconds, 1, 1.001);
    }

    [Fact]
    public void The_planned_interval_moves_over_half_a_budget_window_not_with_each_claim()
    {
        var pace = Budgeted();
        var now = Start;
        var count = new SharedCount();
        Fleet([pace], 40, 0, pace.PlannedTimeConstant * 8, ref now, count);
        var settled = pace.Planned.TotalSeconds;

        // Twice the jobs for a tenth of a time constant: the plan barely moves (the queue takes the swing meanwhile).
        Fleet([pace], 80, 0, pace.PlannedTimeConstant / 10, ref now, count);

        Assert.InRange(settled, (40 / (PollPace.TargetUse * Sustained)) * 0.98, (40 / (PollPace.TargetUse * Sustained)) * 1.02);
        Assert.InRange(pace.Planned.TotalSeconds, settled, settled * 1.2);
        Assert.True(pace.Interval.TotalSeconds > pace.Planned.TotalSeconds * 1.15, $"interval {pace.Interval} while the queue runs late, planned {pace.Planned}");
    }

    [Fact]
    public void When_the_calls_outside_the_windows_leave_nothing_the_plan_stops_at_a_quarter_of_the_budget_window()
    {
        var pace = Budgeted();
        var now = Start;
        var count = new SharedCount();

        Fleet([pace], 10, 20, pace.PlannedTimeConstant * 8, ref now, count);

        Assert.InRange(pace.Planned.TotalSeconds, 14.5, 15);
    }

    [Fact]
    public void Calls_spent_on_looks_taken_early_do_not_move_the_plan()
    {
        PollPace[] plain = [Budgeted()];
        PollPace[] withEarly = [Budgeted()];
        var now = Start;
        var plainNow = Start;
        var plainCount = new SharedCount();
        var earlyCount = new SharedCount();

        // 40 jobs inside, then 30 for half a minute: the plan, still long, leaves calls the bucket would
        // lose; early looks take them. Counted as planned looks they would read as more jobs and lengthen the plan.
        Fleet(plain, 40, 0, plain[0].PlannedTimeConstant * 8, ref plainNow, plainCount);
        Fleet(withEarly, 40, 0, withEarly[0].PlannedTimeConstant * 8, ref now, earlyCount, earlyPerSecond: 100);
        var spareAtFirst = (Sustained - (30 / plain[0].Planned.TotalSeconds)) / Sustained;
        Fleet(plain, 30, 0, plain[0].TimeConstant * 3, ref plainNow, plainCount);
        Fleet(withEarly, 30, 0, withEarly[0].TimeConstant * 3, ref now, earlyCount, earlyPerSecond: 100);

        Assert.Equal(plain[0].Planned.TotalSeconds, withEarly[0].Planned.TotalSeconds, 3);
        Assert.InRange(withEarly[0].CallsPerSecond, plain[0].CallsPerSecond * 0.98, plain[0].CallsPerSecond * 1.02);
        Assert.Equal(0, plain[0].EarlyShare);
        // The plan spends 30 jobs / its interval of the 16 calls a second; early looks take the rest. The plan comes
        // down meanwhile, and the share follows over a sixth of a minute: between the spare share at first and now.
        var spare = (Sustained - (30 / plain[0].Planned.TotalSeconds)) / Sustained;
        Assert.InRange(spare, 0.1, spareAtFirst);
        Assert.InRange(withEarly[0].EarlyShare, spare, spareAtFirst);
    }
}
