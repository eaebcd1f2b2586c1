using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Tests.Fakes;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Polling;

/// <summary>The scheduler's steps on a fake clock, a store in memory and Bria as a script: no servers, no sleeping.</summary>
public sealed class PollingEngineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeTrackingStore _store = new();
    private readonly ScriptedStatusClient _bria = new();
    private readonly PollResultQueue _results = new();
    private readonly PollingOptions _options = new();
    private readonly DurationLearning _learning = new();
    private PollPace? _pace;

    [Fact]
    public async Task A_claimed_request_is_polled_and_its_result_queued_for_the_writer()
    {
        _bria.Answers["done"] = new StatusObservation.Completed(new BriaResult { Seed = 7 });
        _store.Claims.Enqueue(new ClaimResult([Claimed("done", deadline: Start + TimeSpan.FromHours(1))], false, Start));

        await Engine().RunOnceAsync(CancellationToken.None);
        var update = Assert.Single(await TakeAsync(1));

        Assert.Equal(["done"], _bria.Calls);
        Assert.Equal("done", update.RequestId);
        Assert.Equal(7, update.Outcome?.Result?.Seed);
        Assert.Equal(Start, update.ObservedAt);
    }

    [Fact]
    public async Task A_finished_job_teaches_the_estimate_when_it_ended_between_its_last_two_looks()
    {
        _bria.Answers["seen"] = new StatusObservation.Completed(new BriaResult { Seed = 1 });
        _bria.Answers["unseen"] = new StatusObservation.Failed(new BriaError { Code = "500", Message = "boom" });
        _bria.Answers["running"] = new StatusObservation.InProgress();
        var deadline = Start + TimeSpan.FromHours(1);
        _store.Claims.Enqueue(new ClaimResult(
            [
                Claimed("seen", deadline) with { LastObservation = "InProgress" },
                Claimed("unseen", deadline) with { LastObservation = "Transient" },
                Claimed("running", deadline) with { LastObservation = "InProgress" },
            ],
            false,
            Start));

        await Engine().RunOnceAsync(CancellationToken.None);
        await TakeAsync(3);

        // Tracked 5 s ago, last seen running 1 s ago: it ended after 4 s and by 5 s. Without a look that saw it
        // running, only "by 5 s" is known. A job still running teaches nothing yet.
        var observed = _learning.TakePending().OrderBy(o => o.LowSeconds).ToList();
        Assert.Equal(
            [new DurationObservation(EndpointKind.Image, 0, 5), new DurationObservation(EndpointKind.Image, 4, 5)],
            observed);
    }

    [Fact]
    public async Task A_request_claimed_after_its_deadline_times_out_without_a_status_call()
    {
        _store.Claims.Enqueue(new ClaimResult([Claimed("late", deadline: Start - TimeSpan.FromSeconds(1))], false, Start));

        await Engine().RunOnceAsync(CancellationToken.None);
        var update = Assert.Single(await TakeAsync(1));

        Assert.Empty(_bria.Calls);
        Assert.Equal(FailureReason.TimedOut, update.Outcome?.Reason);
    }

    [Fact]
    public async Task A_job_still_running_at_its_deadline_teaches_the_estimate_that_it_ran_longer_than_its_last_look()
    {
        // Tracked 5 s ago; "seen" was last answered IN_PROGRESS 1 s ago, "unseen" was never seen running.
        _store.Claims.Enqueue(new ClaimResult(
            [
                Claimed("seen", deadline: Start) with { LastObservation = "InProgress" },
                Claimed("unseen", deadline: Start) with { LastObservation = "Transient" },
            ],
            false,
            Start));

        await Engine().RunOnceAsync(CancellationToken.None);
        await TakeAsync(2);

        Assert.Empty(_bria.Calls);
        var observed = Assert.Single(_learning.TakePending());
        Assert.Equal(new DurationObservation(EndpointKind.Image, 4, double.PositiveInfinity), observed);
    }

    [Fact]
    public async Task Requests_the_store_ends_past_their_deadline_teach_the_estimate_too()
    {
        _store.Expiring.Add(new ExpiredRequest("overdue-seen", EndpointKind.Video, Start - TimeSpan.FromMinutes(10), Start - TimeSpan.FromMinutes(2)));
        _store.Expiring.Add(new ExpiredRequest("overdue-unseen", EndpointKind.Video, Start - TimeSpan.FromMinutes(10), null));

        await Engine().RunOnceAsync(CancellationToken.None);

        var observed = Assert.Single(_learning.TakePending());
        Assert.Equal(new DurationObservation(EndpointKind.Video, 480, double.PositiveInfinity), observed);
    }

    [Fact]
    public async Task A_429_pauses_every_poll_for_Retry_After_on_the_clock()
    {
        _bria.Answers["busy"] = new StatusObservation.Throttled(TimeSpan.FromSeconds(7));
        _store.Claims.Enqueue(new ClaimResult([Claimed("busy", deadline: Start + TimeSpan.FromHours(1))], false, Start));

        await Engine().RunOnceAsync(CancellationToken.None);
        var update = Assert.Single(await TakeAsync(1));

        Assert.Equal([Start + TimeSpan.FromSeconds(7)], _store.Pauses);
        Assert.Null(update.Outcome);
        Assert.Equal(Start + TimeSpan.FromSeconds(7), update.NextPollAt);
    }

    [Fact]
    public async Task With_nothing_due_the_scheduler_sleeps_until_the_next_due_request_at_most_its_idle_delay()
    {
        var engine = Engine();
        _store.NextDue = Start + TimeSpan.FromMilliseconds(300);
        Assert.Equal(TimeSpan.FromMilliseconds(300), await engine.RunOnceAsync(CancellationToken.None));

        _store.NextDue = Start + TimeSpan.FromMinutes(5);
        Assert.Equal(_options.MaxIdleDelay, await engine.RunOnceAsync(CancellationToken.None));

        _store.NextDue = null;
        Assert.Equal(_options.MaxIdleDelay, await engine.RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_exhausted_budget_makes_the_scheduler_sleep_until_its_next_grant()
    {
        _store.NextDue = Start;
        _store.Claims.Enqueue(new ClaimResult([], true, Start + TimeSpan.FromMilliseconds(1500)));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), await Engine().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Overdue_requests_are_ended_at_most_once_a_second_of_the_clock()
    {
        var engine = Engine();
        await engine.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await engine.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await engine.RunOnceAsync(CancellationToken.None);

        Assert.Equal([Start, Start + TimeSpan.FromSeconds(1)], _store.Expired);
    }

    [Fact]
    public async Task The_lateness_of_claimed_polls_stretches_the_interval_and_claims_the_empty_bucket_cut_short_say_nothing_of_it()
    {
        _pace = new PollPace(_options.Learning.MinInterval, _options.BudgetWindow);
        var engine = Engine();
        // A queue 2 s late: the time between two looks the budget affords is the minimum interval plus that lateness.
        var late = Claimed("late", Start + TimeSpan.FromHours(1)) with { DueAt = Start - TimeSpan.FromSeconds(2) };
        _bria.Answers["late"] = new StatusObservation.InProgress();
        _store.Claims.Enqueue(new ClaimResult([late], true, Start));
        await engine.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Claims.Enqueue(new ClaimResult([late with { DueAt = _time.GetUtcNow() - TimeSpan.FromSeconds(2) }], true, _time.GetUtcNow()));
        await engine.RunOnceAsync(CancellationToken.None);
        var stretched = _pace.Interval;
        Assert.True(stretched > _options.Learning.MinInterval * 1.5, $"interval {stretched} after late claims");

        // Woken before the bucket holds a whole call: nothing claimed, the budget the limit. Says nothing.
        for (var i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            _store.Claims.Enqueue(new ClaimResult([], true, _time.GetUtcNow() + TimeSpan.FromMilliseconds(50)));
            await engine.RunOnceAsync(CancellationToken.None);
        }

        Assert.Equal(stretched, _pace.Interval);

        // Nothing due (once the bucket holds a call again): the queue is gone, and the interval comes back towards the minimum.
        _time.Advance(TimeSpan.FromMilliseconds(100));
        _store.Claims.Enqueue(new ClaimResult([], false, _time.GetUtcNow()));
        await engine.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(30));
        _store.Claims.Enqueue(new ClaimResult([], false, _time.GetUtcNow()));
        await engine.RunOnceAsync(CancellationToken.None);
        Assert.True(_pace.Interval < stretched, $"interval {_pace.Interval} after claims with nothing due");
    }

    [Fact]
    public async Task Looks_are_taken_early_only_while_learned_schedules_plan_them_further_apart_than_the_minimum()
    {
        // A bucket sustaining 16 calls a second.
        _pace = new PollPace(_options.Learning.MinInterval, _options.BudgetWindow, 16.0 / 1000);
        var engine = Engine();
        await engine.RunOnceAsync(CancellationToken.None);

        // The fleet spends the whole bucket on 40 jobs inside their windows for five minutes: the plan stretches.
        double granted = 0;
        for (var at = Start; at < Start + TimeSpan.FromMinutes(5); at += TimeSpan.FromMilliseconds(100))
        {
            granted += 1.6;
            _pace.Step(TimeSpan.FromSeconds(1.5), at);
            _pace.Spend(10, 10, (long)granted, 0, at);
        }

        _time.Advance(TimeSpan.FromMinutes(5));
        var early = Claimed("early", Start + TimeSpan.FromHours(1)) with { DueAt = _time.GetUtcNow() + TimeSpan.FromSeconds(2), Early = true };
        _bria.Answers["early"] = new StatusObservation.InProgress();
        _store.Claims.Enqueue(new ClaimResult([early], false, _time.GetUtcNow()) { Granted = (long)granted + 1, EarlyGranted = 1 });
        await engine.RunOnceAsync(CancellationToken.None);

        Assert.True(_pace.Planned > _options.Learning.MinInterval * 2, $"planned {_pace.Planned}");
        Assert.Equal([false, true], _store.TakeEarly);
        // The early look is polled like any other.
        Assert.Equal("early", Assert.Single(await TakeAsync(1)).RequestId);
    }

    [Fact]
    public async Task While_the_shared_bucket_holds_no_whole_call_a_wake_does_not_claim_again()
    {
        var engine = Engine();
        var nextCall = Start + TimeSpan.FromMilliseconds(60);
        _store.Claims.Enqueue(new ClaimResult([], true, nextCall));
        _store.Claims.Enqueue(new ClaimResult([], false, nextCall + TimeSpan.FromMilliseconds(10)));

        await engine.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(20));
        var wait = await engine.RunOnceAsync(CancellationToken.None);

        // Woken 20 ms later (a poll finished): no claim, sleep until the bucket holds a call again.
        Assert.Single(_store.Claims);
        Assert.Equal(TimeSpan.FromMilliseconds(40), wait);
        _time.Advance(wait);
        await engine.RunOnceAsync(CancellationToken.None);
        Assert.Empty(_store.Claims);
    }

    private PollingEngine Engine()
    {
        var options = Options.Create(_options);
        return new PollingEngine(
            _store,
            _bria,
            new PollDecider(options, new Random(1)),
            _learning,
            _pace ??= new PollPace(_options.Learning.MinInterval, _options.BudgetWindow),
            _results,
            new PollWakeSignal(),
            new ReplicaIdentity(Options.Create(new PollingOptions())),
            TestMetrics.Create(_store, new FakeOutboxStore(), _time),
            TestMetrics.Outages(_time),
            Options.Create(new OutageOptions()),
            options,
            _time,
            NullLogger<PollingEngine>.Instance);
    }

    private async Task<IReadOnlyList<PollUpdate>> TakeAsync(int count)
    {
        // The poll runs off the scheduler's path; the queue hands its result over as soon as it is there.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _results.TakeBatchAsync(count, timeout.Token);
    }

    private static ClaimedRequest Claimed(string requestId, DateTimeOffset deadline) =>
        new(requestId, EndpointKind.Image, Start - TimeSpan.FromSeconds(5), deadline, Start, 1, 0, 0, null, null, Start - TimeSpan.FromSeconds(1));
}
