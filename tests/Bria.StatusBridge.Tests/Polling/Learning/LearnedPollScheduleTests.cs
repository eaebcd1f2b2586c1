using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Polling.Learning;

/// <summary>The learned choice through <see cref="PollDecider"/>, on fixed times: no clock, no store.</summary>
public sealed class LearnedPollScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly PollingOptions _options = new()
    {
        Image = new KindSchedule { FirstDelay = TimeSpan.FromSeconds(2), Interval = TimeSpan.FromSeconds(1), Growth = 1, Ceiling = TimeSpan.FromSeconds(4), Jitter = 0 },
    };

    private readonly DurationLearning _learning = new();
    private readonly PollPace _pace = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    private PollDecider Decider()
    {
        var options = Options.Create(_options);
        return new PollDecider(options, new Random(3), new LearnedPollSchedule(options, _learning, _pace));
    }

    /// <summary>Image jobs seen so far: <paramref name="count"/> of them, evenly spread over <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    private void Learn(int count, double from, double to, EndpointKind kind = EndpointKind.Image)
    {
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < count; i++)
        {
            var duration = from + ((to - from) * (i + 0.5) / count);
            histogram = histogram.Observe(duration, duration, 1);
        }

        _learning.Replace([new DurationEstimate(kind, histogram, Now)]);
    }

    /// <summary>Claims the budget held back for a minute before <see cref="Now"/>: the windows leave out their 3%.</summary>
    private void BudgetHeldBack()
    {
        for (var at = Now - TimeSpan.FromMinutes(1); at < Now; at += TimeSpan.FromMilliseconds(100))
        {
            _pace.Budget(heldBack: true, at);
        }

        _pace.Budget(heldBack: true, Now);
        Assert.Equal(PollPace.ShortSkipShare, _pace.SkipShare, 9);
    }

    private static ClaimedRequest Running(double ageSeconds, EndpointKind kind = EndpointKind.Image, DateTimeOffset? deadline = null) =>
        new("req-1", kind, Now - TimeSpan.FromSeconds(ageSeconds), deadline ?? Now.AddHours(1), Now, 3, 0, 0, null, null, Now - TimeSpan.FromSeconds(1), LastObservation: "InProgress");

    [Fact]
    public void The_fixed_schedule_applies_until_enough_jobs_were_seen()
    {
        Learn(_options.Learning.MinJobs - 1, 3, 20);
        Assert.Equal(Now.AddSeconds(2), Decider().FirstPollAt(EndpointKind.Image, Now));
        Assert.Equal(Now.AddSeconds(1), Decider().Decide(Running(5), new StatusObservation.InProgress(), Now).NextPollAt);

        Learn(_options.Learning.MinJobs, 3, 20);
        Assert.NotEqual(Now.AddSeconds(2), Decider().FirstPollAt(EndpointKind.Image, Now));
    }

    [Fact]
    public void A_request_Bria_pushes_keeps_its_safety_schedule_while_its_kind_polls_on_what_was_learned()
    {
        Learn(1000, 3, 20);
        _options.PushSafety.Image = new PollSchedule { FirstDelay = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromSeconds(30), Growth = 2, Ceiling = TimeSpan.FromMinutes(5), Jitter = 0 };
        var decider = Decider();
        var learnedFirst = decider.FirstPollAt(EndpointKind.Image, Now);
        // A job running for 1 s of a kind that takes 3-20 s: the learned schedule waits past 3 s, the fixed one says 1 s.
        var learnedNext = decider.Decide(Running(1), new StatusObservation.InProgress(), Now).NextPollAt;
        Assert.NotEqual(Now.AddSeconds(2), learnedFirst);
        Assert.True(learnedNext >= Now.AddSeconds(2), $"learned next poll {learnedNext:O}");

        Assert.Equal(Now.AddSeconds(30), decider.FirstPollAt(EndpointKind.Image, Now, briaPushes: true));
        var pushed = Running(1) with { BriaPushes = true, Polls = 1 };
        Assert.Equal(Now.AddSeconds(60), decider.Decide(pushed, new StatusObservation.InProgress(), Now).NextPollAt);
    }

    [Fact]
    public void A_kind_in_fixed_mode_never_polls_on_what_was_learned()
    {
        Learn(1000, 3, 20);
        _options.Image.Mode = PollMode.Fixed;

        Assert.Equal(Now.AddSeconds(2), Decider().FirstPollAt(EndpointKind.Image, Now));
        Assert.Equal(Now.AddSeconds(1), Decider().Decide(Running(5), new StatusObservation.InProgress(), Now).NextPollAt);
    }

    [Fact]
    public void No_call_comes_before_a_job_can_plausibly_have_finished()
    {
        Learn(1000, 3, 20);

        var spare = Decider().FirstPollAt(EndpointKind.Image, Now) - Now;
        BudgetHeldBack();
        var held = Decider().FirstPollAt(EndpointKind.Image, Now) - Now;

        // With the budget spare the window leaves out the 1% of jobs ending first (by about 3.2 s: where every job
        // still runs and few end); while the budget holds polls back, 3% (by about 3.5 s). The first look comes one
        // interval (1 s) after it opens.
        Assert.InRange(spare.TotalSeconds, 4.05, 4.3);
        Assert.InRange(held.TotalSeconds, 4.3, 4.7);
    }

    [Fact]
    public void Videos_wait_for_their_own_durations_not_the_images()
    {
        Learn(200, 40, 180, EndpointKind.Video);

        var first = Decider().FirstPollAt(EndpointKind.Video, Now) - Now;

        // 1% of 40-180 s end by about 41.4 s (with the budget spare).
        Assert.InRange(first.TotalSeconds, 41.8, 43.5);
    }

    [Fact]
    public void A_request_whose_deadline_comes_before_its_window_opens_is_looked_at_once_before_the_deadline()
    {
        Learn(200, 40, 180, EndpointKind.Video);
        var decider = Decider();
        var deadline = Now.AddSeconds(30);

        var first = decider.FirstPollAt(EndpointKind.Video, Now, deadline: deadline);
        // Seen running then, it is not looked at again (its window opens more than 10 s later): the deadline ends it.
        var next = decider.Decide(Running(30 - _options.Learning.MinInterval.TotalSeconds, EndpointKind.Video, deadline), new StatusObservation.InProgress(), first);

        Assert.Equal(deadline - _options.Learning.MinInterval, first);
        Assert.Equal(deadline, next.NextPollAt);
    }

    [Fact]
    public void With_the_budget_spare_a_running_job_is_looked_at_every_minimum_interval()
    {
        Learn(1000, 3, 20);

        var update = Decider().Decide(Running(8), new StatusObservation.InProgress(), Now);

        Assert.Equal(Now + _pace.MinInterval, update.NextPollAt);
        // Planned at the minimum interval, no look can come earlier.
        Assert.Null(update.EarlyPollAt);
    }

    [Fact]
    public void While_looks_are_planned_further_apart_than_the_minimum_inside_the_window_one_may_come_early_never_sooner_than_the_minimum()
    {
        var (pace, decider) = Binding();

        var inside = decider.Decide(Running(8), new StatusObservation.InProgress(), Now, sentAt: Now - TimeSpan.FromMilliseconds(200));
        var pastWindow = decider.Decide(Running(45), new StatusObservation.InProgress(), Now);
        var unknown = decider.Decide(Running(8), new StatusObservation.Unknown(null), Now);
        var closeToDeadline = decider.Decide(Running(8, deadline: Now.AddMilliseconds(500)), new StatusObservation.InProgress(), Now);

        // Planned one planned interval after the call was sent; early from one minimum interval after it.
        Assert.InRange(pace.Planned.TotalSeconds, 2.4, 2.6);
        Assert.Equal(Now - TimeSpan.FromMilliseconds(200) + pace.Planned, inside.NextPollAt);
        Assert.Equal(Now + TimeSpan.FromMilliseconds(800), inside.EarlyPollAt);
        // A job in the long tail, an answer on the fixed rhythm, a look the deadline takes over: never early.
        Assert.Null(pastWindow.EarlyPollAt);
        Assert.Null(unknown.EarlyPollAt);
        Assert.Equal(Now.AddMilliseconds(500), closeToDeadline.NextPollAt);
        Assert.Null(closeToDeadline.EarlyPollAt);
    }

    [Fact]
    public void The_pace_counts_from_when_the_look_was_sent_not_from_Bria_s_answer()
    {
        Learn(1000, 3, 20);
        var sentAt = Now - TimeSpan.FromMilliseconds(300);

        var update = Decider().Decide(Running(8), new StatusObservation.InProgress(), Now, sentAt);

        // A slow answer (300 ms) does not stretch the time between two looks: they stay one pace apart.
        Assert.Equal(sentAt + _pace.MinInterval, update.NextPollAt);
        Assert.Equal(Now, update.ObservedAt);
    }

    [Fact]
    public void A_queue_running_late_for_a_moment_does_not_move_the_plan_its_claims_space_the_looks()
    {
        // Claimed polls run 2 s late and nothing says the budget sustains less than a look a second: the schedule
        // still plans one per minimum interval; the claim serves the earliest due first, so the queue spaces every
        // running job's looks evenly while it lasts.
        for (var at = Now - TimeSpan.FromMinutes(1); at <= Now; at += TimeSpan.FromMilliseconds(100))
        {
            _pace.Step(TimeSpan.FromSeconds(2), at);
        }

        BudgetHeldBack();
        Learn(1000, 3, 20);

        var update = Decider().Decide(Running(8), new StatusObservation.InProgress(), Now);

        Assert.InRange(_pace.Interval.TotalSeconds, 2.9, 3);
        Assert.Equal(Now + _pace.MinInterval, update.NextPollAt);
        // The first look comes one minimum interval after the window opens (about 3.5 s while the budget binds).
        Assert.InRange((Decider().FirstPollAt(EndpointKind.Image, Now) - Now).TotalSeconds, 4.3, 4.7);
    }

    /// <summary>A bucket of 16 calls a second, every call of the fleet inside the windows, the queue 1.5 s late on a
    /// plan of a look a second: 40 jobs inside; the budget sustains a look at each every 40 / (0.99 * 16) = 2.53 s.</summary>
    private (PollPace Pace, PollDecider Decider) Binding()
    {
        var pace = new PollPace(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1), 16.0 / 1000);
        var options = Options.Create(_options);
        var decider = new PollDecider(options, new Random(3), new LearnedPollSchedule(options, _learning, pace));
        Learn(1000, 3, 20);
        double granted = 0;
        for (var at = Now - TimeSpan.FromMinutes(5); at <= Now; at += TimeSpan.FromMilliseconds(100))
        {
            // The 40 jobs are looked at once per planned interval, or as often as the bucket allows.
            var planned = pace.Planned.TotalSeconds;
            granted += Math.Min(16, 40 / planned) * 0.1;
            pace.Step(TimeSpan.FromSeconds(Math.Max(0, (40 / 16.0) - planned)), at);
            pace.Spend(10, 10, (long)granted, 0, at);
        }

        return (pace, decider);
    }

    [Fact]
    public void While_the_budget_sustains_fewer_looks_they_are_planned_the_interval_it_sustains_apart()
    {
        var (pace, decider) = Binding();

        var update = decider.Decide(Running(8), new StatusObservation.InProgress(), Now);

        Assert.InRange(pace.Planned.TotalSeconds, 2.4, 2.6);
        Assert.Equal(Now + pace.Planned, update.NextPollAt);
        Assert.True(decider.InLearnedWindow(Running(8) with { DueAt = Now }), "a look at 8 s is inside the window of 3-20 s");
        Assert.False(decider.InLearnedWindow(Running(30) with { DueAt = Now }), "a look at 30 s is past the window of 3-20 s");
        // The first look comes one planned interval after the window opens (about 3.5 s while the budget binds).
        var first = (decider.FirstPollAt(EndpointKind.Image, Now) - Now).TotalSeconds;
        Assert.InRange(first, 3.4 + 2.4, 3.7 + (2.6 * 1.1));
    }

    [Fact]
    public void A_job_between_two_modes_is_not_looked_at_where_no_job_ends()
    {
        // Half the jobs end within 2-3 s, half within 60-70 s: a job still running at 10 s will not end soon.
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 500; i++)
        {
            histogram = histogram.Observe(2 + (i / 500.0), 2 + (i / 500.0), 1).Observe(60 + (i / 50.0), 60 + (i / 50.0), 1);
        }

        _learning.Replace([new DurationEstimate(EndpointKind.Image, histogram, Now)]);

        var wait = Decider().Decide(Running(10), new StatusObservation.InProgress(), Now).NextPollAt!.Value - Now;
        var nearTheEnd = Decider().Decide(Running(61), new StatusObservation.InProgress(), Now).NextPollAt!.Value - Now;

        // Longer than the pace, but never longer than the job's age (waits grow with age, like a backoff).
        Assert.Equal(TimeSpan.FromSeconds(10), wait);
        Assert.Equal(_pace.MinInterval, nearTheEnd);
    }

    [Fact]
    public void A_job_past_its_kinds_window_is_looked_at_once_it_aged_another_quarter()
    {
        Learn(1000, 3, 20);

        var old = Decider().Decide(Running(45), new StatusObservation.InProgress(), Now);
        var justPast = Decider().Decide(Running(21), new StatusObservation.InProgress(), Now);
        var inside = Decider().Decide(Running(19), new StatusObservation.InProgress(), Now);

        // Jobs of 3-20 s: the window leaves out the start, so it closes at the longest job seen (its bin's edge).
        Assert.Equal(Now + TimeSpan.FromSeconds(45 / 4.0), old.NextPollAt);
        Assert.Equal(Now + TimeSpan.FromSeconds(21 / 4.0), justPast.NextPollAt);
        Assert.Equal(Now + _pace.MinInterval, inside.NextPollAt);
    }

    [Fact]
    public void A_long_tail_is_left_out_of_the_window_so_its_looks_cost_few_calls()
    {
        // 97% of the jobs end within 2-10 s, 3% between 100 and 400 s: a look at a job running at 50 s rarely finds
        // an end, so the window closes before the tail (while the budget holds polls back and the window leaves out
        // 3%) and the job waits a quarter of its age.
        BudgetHeldBack();
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 970; i++)
        {
            histogram = histogram.Observe(2 + (i / 121.25), 2 + (i / 121.25), 1);
        }

        for (var i = 0; i < 30; i++)
        {
            histogram = histogram.Observe(100 + (i * 10), 100 + (i * 10), 1);
        }

        _learning.Replace([new DurationEstimate(EndpointKind.Image, histogram, Now)]);

        var (from, to) = histogram.PollingWindow(0.03);
        var wait = Decider().Decide(Running(50), new StatusObservation.InProgress(), Now).NextPollAt!.Value - Now;

        Assert.InRange(to, 9, 11);
        Assert.InRange(from, 1.9, 2.1);
        Assert.Equal(TimeSpan.FromSeconds(12.5), wait);
    }

    [Fact]
    public void The_deadline_still_bounds_the_next_look()
    {
        BudgetHeldBack();
        Learn(1000, 3, 20);

        // A job past the window would wait a quarter of its age (11 s): its last look comes a minimum interval before
        // the deadline instead.
        var update = Decider().Decide(Running(45, deadline: Now.AddSeconds(2)), new StatusObservation.InProgress(), Now);

        Assert.Equal(Now.AddSeconds(2) - _options.Learning.MinInterval, update.NextPollAt);
    }

    [Fact]
    public void Answers_other_than_in_progress_keep_the_fixed_rhythm()
    {
        Learn(1000, 3, 20);

        var unknown = Decider().Decide(Running(8), new StatusObservation.Unknown(null), Now);

        Assert.Equal(Now.AddSeconds(1), unknown.NextPollAt);
    }
}
