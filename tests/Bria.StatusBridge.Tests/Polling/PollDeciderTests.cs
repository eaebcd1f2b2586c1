using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Polling;

public sealed class PollDeciderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static PollingOptions Options() => new()
    {
        UnknownTolerance = 3,
        NotFoundGrace = TimeSpan.FromSeconds(30),
        TransientBackoff = TimeSpan.FromSeconds(2),
        TransientBackoffCeiling = TimeSpan.FromSeconds(60),
        ThrottlePause = TimeSpan.FromSeconds(10),
        MaxRetryAfter = TimeSpan.FromSeconds(120),
        Image = new KindSchedule { FirstDelay = TimeSpan.FromSeconds(2), Interval = TimeSpan.FromSeconds(1), Growth = 2, Ceiling = TimeSpan.FromSeconds(8), Jitter = 0 },
    };

    private static PollDecider Decider(PollingOptions? options = null) => new(Microsoft.Extensions.Options.Options.Create(options ?? Options()), new Random(7));

    private static ClaimedRequest Request(int polls = 0, int unknown = 0, int transient = 0, DateTimeOffset? notFoundSince = null, DateTimeOffset? deadline = null) =>
        new("req-1", EndpointKind.Image, Now.AddMinutes(-1), deadline ?? Now.AddHours(1), Now, polls, unknown, transient, notFoundSince, null);

    [Fact]
    public void In_progress_schedules_the_next_poll_by_the_growing_interval()
    {
        var decider = Decider();

        var first = decider.Decide(Request(polls: 0), new StatusObservation.InProgress(), Now);
        var third = decider.Decide(Request(polls: 2), new StatusObservation.InProgress(), Now);
        var late = decider.Decide(Request(polls: 20), new StatusObservation.InProgress(), Now);

        Assert.Equal(Now.AddSeconds(1), first.NextPollAt);
        Assert.Equal(Now.AddSeconds(4), third.NextPollAt);
        Assert.Equal(Now.AddSeconds(8), late.NextPollAt);
        Assert.Null(first.Outcome);
        Assert.Equal(1, first.Polls);
    }

    [Fact]
    public void Completed_ends_with_the_result()
    {
        var result = new BriaResult { ImageUrl = new Uri("https://temp.example/a.png"), Seed = 42 };

        var update = Decider().Decide(Request(), new StatusObservation.Completed(result), Now);

        Assert.NotNull(update.Outcome);
        Assert.Equal(TrackingState.Completed, update.Outcome.State);
        Assert.Same(result, update.Outcome.Result);
        Assert.Equal(Now, update.Outcome.FinishedAt);
        Assert.Null(update.NextPollAt);
    }

    [Fact]
    public void Error_ends_as_failed_with_Brias_error()
    {
        var error = new BriaError { Code = "422", Message = "Unprocessable Entity" };

        var update = Decider().Decide(Request(), new StatusObservation.Failed(error), Now);

        Assert.Equal(FailureReason.Error, update.Outcome?.Reason);
        Assert.Same(error, update.Outcome?.Error);
    }

    [Fact]
    public void Unknown_is_tolerated_up_to_the_configured_count_then_fails()
    {
        var decider = Decider();
        var unknown = new StatusObservation.Unknown(new BriaError { Code = "500" });

        var third = decider.Decide(Request(unknown: 2), unknown, Now);
        var fourth = decider.Decide(Request(unknown: 3), unknown, Now);

        Assert.Null(third.Outcome);
        Assert.Equal(3, third.ConsecutiveUnknown);
        Assert.Equal(FailureReason.Unknown, fourth.Outcome?.Reason);
        Assert.Equal("500", fourth.Outcome?.Error?.Code);
    }

    [Fact]
    public void In_progress_after_unknown_resets_the_unknown_count()
    {
        var update = Decider().Decide(Request(unknown: 2), new StatusObservation.InProgress(), Now);

        Assert.Equal(0, update.ConsecutiveUnknown);
    }

    [Fact]
    public void Not_found_waits_out_the_grace_then_fails()
    {
        var decider = Decider();

        var first = decider.Decide(Request(), new StatusObservation.NotFound(), Now);
        var within = decider.Decide(Request(notFoundSince: Now.AddSeconds(-20)), new StatusObservation.NotFound(), Now);
        var after = decider.Decide(Request(notFoundSince: Now.AddSeconds(-30)), new StatusObservation.NotFound(), Now);

        Assert.Null(first.Outcome);
        Assert.Equal(Now, first.FirstNotFoundAt);
        Assert.Null(within.Outcome);
        Assert.True(within.NextPollAt <= Now.AddSeconds(10), "the last check falls at the end of the grace");
        Assert.Equal(FailureReason.NotFound, after.Outcome?.Reason);
    }

    [Fact]
    public void Zero_grace_fails_on_the_first_not_found()
    {
        var options = Options();
        options.NotFoundGrace = TimeSpan.Zero;

        var update = Decider(options).Decide(Request(), new StatusObservation.NotFound(), Now);

        Assert.Equal(FailureReason.NotFound, update.Outcome?.Reason);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(504)]
    public void Transient_failures_are_never_terminal_and_back_off(int status)
    {
        var decider = Decider();
        var transient = new StatusObservation.Transient(status, "Service Unavailable", null);

        var first = decider.Decide(Request(polls: 1), transient, Now);
        var many = decider.Decide(Request(polls: 30, transient: 29), transient, Now);

        Assert.Null(first.Outcome);
        Assert.Equal(1, first.ConsecutiveTransient);
        Assert.Equal(Now.AddSeconds(2), first.NextPollAt);
        Assert.Null(many.Outcome);
        Assert.Equal(Now.AddSeconds(60), many.NextPollAt);
    }

    [Fact]
    public void Throttled_honours_Retry_After_clamped_to_the_maximum()
    {
        var decider = Decider();

        var withHeader = decider.Decide(Request(), new StatusObservation.Throttled(TimeSpan.FromSeconds(30)), Now);
        var without = decider.Decide(Request(), new StatusObservation.Throttled(null), Now);
        var huge = decider.Decide(Request(), new StatusObservation.Throttled(TimeSpan.FromHours(1)), Now);

        Assert.Equal(Now.AddSeconds(30), withHeader.NextPollAt);
        Assert.Equal(Now.AddSeconds(10), without.NextPollAt);
        Assert.Equal(Now.AddSeconds(120), huge.NextPollAt);
        Assert.Null(withHeader.Outcome);
    }

    [Fact]
    public void A_look_that_would_come_after_the_deadline_comes_one_minimum_interval_before_it()
    {
        // Every 8 s by now: the next look would be 5 s past the deadline.
        var update = Decider().Decide(Request(polls: 5, deadline: Now.AddSeconds(3)), new StatusObservation.InProgress(), Now);

        Assert.Equal(Now.AddSeconds(3) - new LearningOptions().MinInterval, update.NextPollAt);
    }

    [Fact]
    public void Near_the_deadline_the_last_look_comes_a_minimum_interval_after_this_one_or_not_at_all()
    {
        var options = Options();
        var decider = Decider(options);
        var minInterval = options.Learning.MinInterval;
        var fits = Now + (minInterval * 1.5);
        var tooNear = Now + (minInterval * 0.5);

        var update = decider.Decide(Request(polls: 5, deadline: fits), new StatusObservation.InProgress(), Now);
        var transient = decider.Decide(Request(polls: 5, deadline: fits), new StatusObservation.Transient(503, "Service Unavailable", null), Now);
        var none = decider.Decide(Request(polls: 5, deadline: tooNear), new StatusObservation.InProgress(), Now);

        // Never two looks closer than the minimum interval: as close to the deadline as that allows, else the deadline.
        Assert.Equal(Now + minInterval, update.NextPollAt);
        Assert.Equal(Now + minInterval, transient.NextPollAt);
        Assert.Equal(tooNear, none.NextPollAt);
    }

    [Fact]
    public void A_first_look_that_would_come_after_the_deadline_comes_before_it()
    {
        var decider = Decider();
        var minInterval = new LearningOptions().MinInterval;

        // The image schedule's first look is at 2 s.
        Assert.Equal(Now.AddSeconds(2), decider.FirstPollAt(EndpointKind.Image, Now, deadline: Now.AddSeconds(10)));
        Assert.Equal(Now.AddSeconds(1.5) - minInterval, decider.FirstPollAt(EndpointKind.Image, Now, deadline: Now.AddSeconds(1.5)));
        // No look yet: however near the deadline, one comes before it.
        Assert.Equal(Now, decider.FirstPollAt(EndpointKind.Image, Now, deadline: Now.AddSeconds(0.5)));
    }

    [Fact]
    public void Jitter_spreads_intervals_within_its_bounds()
    {
        var options = Options();
        options.Image.Jitter = 0.2;
        var decider = Decider(options);

        var delays = Enumerable.Range(0, 200)
            .Select(_ => (decider.Decide(Request(polls: 0), new StatusObservation.InProgress(), Now).NextPollAt!.Value - Now).TotalMilliseconds)
            .ToList();

        Assert.All(delays, d => Assert.InRange(d, 800, 1200));
        Assert.True(delays.Distinct().Count() > 50, "intervals should differ");
    }

    [Fact]
    public void The_first_poll_never_comes_before_the_first_delay_and_spreads_within_the_jitter()
    {
        var options = Options();
        options.Image.Jitter = 0.2;
        var decider = Decider(options);

        var firsts = Enumerable.Range(0, 200).Select(_ => (decider.FirstPollAt(EndpointKind.Image, Now) - Now).TotalMilliseconds).ToList();

        Assert.All(firsts, d => Assert.InRange(d, 2000, 2400));
        Assert.True(firsts.Distinct().Count() > 50, "first polls should spread");
    }

    [Fact]
    public void A_request_that_Bria_pushes_polls_on_its_kinds_safety_schedule_and_others_do_not()
    {
        var options = Options();
        options.PushSafety.Image = new KindSchedule { FirstDelay = TimeSpan.FromSeconds(30), Interval = TimeSpan.FromSeconds(20), Growth = 2, Ceiling = TimeSpan.FromMinutes(5), Jitter = 0 };
        var decider = Decider(options);
        var pushed = Request(polls: 0) with { BriaPushes = true };

        Assert.Equal(Now.AddSeconds(30), decider.FirstPollAt(EndpointKind.Image, Now, briaPushes: true));
        Assert.Equal(Now.AddSeconds(2), decider.FirstPollAt(EndpointKind.Image, Now));
        Assert.Equal(Now.AddSeconds(20), decider.Decide(pushed, new StatusObservation.InProgress(), Now).NextPollAt);
        Assert.Equal(Now.AddSeconds(40), decider.Decide(pushed with { Polls = 1 }, new StatusObservation.InProgress(), Now).NextPollAt);
        Assert.Equal(Now.AddSeconds(1), decider.Decide(Request(polls: 0), new StatusObservation.InProgress(), Now).NextPollAt);
    }

    [Fact]
    public void The_default_safety_schedules_first_poll_after_the_usual_job_and_find_a_lost_push_well_before_the_deadline()
    {
        var options = new PollingOptions();
        foreach (var kind in Enum.GetValues<EndpointKind>())
        {
            var safety = options.PushSafety.For(kind);
            var usual = options.For(kind);
            Assert.True(safety.FirstDelay > usual.FirstDelay, $"{kind}: the safety schedule polls no later than the usual one.");
            Assert.True(safety.FirstDelay + safety.Ceiling < usual.DefaultTimeout / 4, $"{kind}: a lost push is found too close to the deadline.");
        }
    }
}
