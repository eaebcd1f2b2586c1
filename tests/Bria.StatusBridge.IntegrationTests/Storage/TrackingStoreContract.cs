using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Storage;

/// <summary>What every store provider must do; run against SQLite and PostgreSQL by the derived classes.</summary>
public abstract class TrackingStoreContract : IAsyncLifetime
{
    private static readonly BudgetPolicy Unlimited = new(1_000_000, 1_000);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly HeardOutcomes _heard = new();
    private DbConnectionFactory _connections = null!;

    protected DateTimeOffset Now { get; } = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    internal TrackingStore Store { get; private set; } = null!;

    internal OutboxStore Outbox { get; private set; } = null!;

    protected abstract StoreProvider Provider { get; }

    protected abstract Task<string> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        var options = MsOptions.Create(new PersistenceOptions { Provider = Provider, ConnectionString = await CreateDatabaseAsync() });
        _connections = new DbConnectionFactory(options);
        await new MigrationRunner(_connections, new FakeTimeProvider(Now), NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        Outbox = new OutboxStore(_connections);
        Store = StoreGraph.Tracking(_connections, _heard);
    }

    public async Task DisposeAsync() => await _connections.DisposeAsync();

    private TrackingCommand Command(string requestId, string? correlationId = "c-1", TimeSpan? deadline = null) =>
        new(requestId, null, correlationId, null, null, EndpointKind.Image, Now + (deadline ?? TimeSpan.FromHours(1)),
            new Dictionary<string, string> { ["k"] = correlationId ?? "" }, null);

    private Task<TrackResult> TrackAsync(string requestId, string? correlationId = "c-1", TimeSpan? firstPoll = null, TimeSpan? deadline = null) =>
        Store.TrackAsync(Command(requestId, correlationId, deadline), Now, Now + (firstPoll ?? TimeSpan.FromSeconds(2)), CancellationToken.None);

    private async Task<List<PendingNotification>> ClaimOutcomesAsync(DateTimeOffset at) =>
        [.. (await Outbox.ClaimAsync("a", 10, at, Lease, CancellationToken.None)).Select(m => m.Outcome!)];

    private static PollUpdate Ended(ClaimedRequest request, DateTimeOffset at, TerminalOutcome outcome) =>
        new(request.RequestId, at, "Completed", 200, request.Polls + 1, 0, 0, null, null, outcome);

    [Fact]
    public async Task A_redelivered_command_adds_nothing_and_another_subscriber_joins_the_same_loop()
    {
        var first = await TrackAsync("r-1");
        var again = await TrackAsync("r-1");
        var other = await TrackAsync("r-1", correlationId: "c-2");

        Assert.True(first.NewRequest);
        Assert.True(first.NewSubscriber);
        Assert.False(again.NewRequest);
        Assert.False(again.NewSubscriber);
        Assert.False(other.NewRequest);
        Assert.True(other.NewSubscriber);
        var view = await Store.GetAsync("r-1", CancellationToken.None);
        Assert.Equal(2, view!.Subscribers.Count);
        Assert.Equal(TrackingState.Tracking, view.State);
    }

    [Fact]
    public async Task Only_due_requests_are_claimed_and_a_lease_keeps_others_away_until_it_runs_out()
    {
        await TrackAsync("due-1", firstPoll: TimeSpan.FromSeconds(2));

        var early = await Store.ClaimDueAsync("a", 10, Now + TimeSpan.FromSeconds(1), Lease, Unlimited, takeEarly: false, CancellationToken.None);
        var due = await Store.ClaimDueAsync("a", 10, Now + TimeSpan.FromSeconds(2), Lease, Unlimited, takeEarly: false, CancellationToken.None);
        var leased = await Store.ClaimDueAsync("b", 10, Now + TimeSpan.FromSeconds(3), Lease, Unlimited, takeEarly: false, CancellationToken.None);
        var expired = await Store.ClaimDueAsync("b", 10, Now + TimeSpan.FromSeconds(33), Lease, Unlimited, takeEarly: false, CancellationToken.None);

        Assert.Empty(early.Requests);
        Assert.Equal("due-1", Assert.Single(due.Requests).RequestId);
        Assert.Empty(leased.Requests);
        Assert.Equal("due-1", Assert.Single(expired.Requests).RequestId);
    }

    [Fact]
    public async Task Requests_that_waited_longest_are_claimed_first()
    {
        await TrackAsync("late", firstPoll: TimeSpan.FromSeconds(1));
        await TrackAsync("later", firstPoll: TimeSpan.FromSeconds(3));
        await TrackAsync("latest", firstPoll: TimeSpan.FromSeconds(2));

        var claim = await Store.ClaimDueAsync("a", 2, Now + TimeSpan.FromSeconds(10), Lease, Unlimited, takeEarly: false, CancellationToken.None);

        Assert.Equal(["late", "latest"], claim.Requests.Select(r => r.RequestId));
    }

    [Fact]
    public async Task An_update_from_a_replica_that_lost_its_lease_is_dropped()
    {
        await TrackAsync("lost-1");
        var mine = Assert.Single((await Store.ClaimDueAsync("a", 1, Now + TimeSpan.FromSeconds(2), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);
        var theirs = Assert.Single((await Store.ClaimDueAsync("b", 1, Now + TimeSpan.FromSeconds(40), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);

        var ended = await Store.ApplyAsync("a", [Ended(mine, Now + TimeSpan.FromSeconds(41), TerminalOutcome.Completed(new BriaResult(), Now))], Now + TimeSpan.FromSeconds(41), CancellationToken.None);
        var view = await Store.GetAsync("lost-1", CancellationToken.None);

        Assert.Equal(0, ended);
        Assert.Equal(TrackingState.Tracking, view!.State);
        Assert.Equal("lost-1", theirs.RequestId);
    }

    [Fact]
    public async Task A_terminal_poll_queues_one_event_per_subscriber_in_the_same_write()
    {
        await TrackAsync("end-1", correlationId: "c-1");
        await TrackAsync("end-1", correlationId: "c-2");
        var claimed = Assert.Single((await Store.ClaimDueAsync("a", 1, Now + TimeSpan.FromSeconds(2), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);
        var result = new BriaResult { ImageUrl = new Uri("https://temp.example/x.png"), Seed = 7 };

        var ended = await Store.ApplyAsync("a", [Ended(claimed, Now + TimeSpan.FromSeconds(3), TerminalOutcome.Completed(result, Now + TimeSpan.FromSeconds(3)))], Now + TimeSpan.FromSeconds(3), CancellationToken.None);
        var pending = await ClaimOutcomesAsync(Now + TimeSpan.FromSeconds(3));

        Assert.Equal(1, ended);
        Assert.Equal(2, pending.Count);
        Assert.Equal(["c-1", "c-2"], pending.Select(p => p.Subscriber.CorrelationId).Order());
        Assert.All(pending, p => Assert.Equal(result, p.Outcome.Result));
        Assert.Equal(2, pending.Select(p => p.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Every_stored_outcome_raises_the_outcome_signal_once_committed()
    {
        await TrackAsync("heard-1", correlationId: "first");
        Assert.Empty(_heard.RequestIds);

        var claimed = Assert.Single((await Store.ClaimDueAsync("a", 1, Now + TimeSpan.FromSeconds(2), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);
        await Store.ApplyAsync("a", [Ended(claimed, Now + TimeSpan.FromSeconds(2), TerminalOutcome.Completed(new BriaResult(), Now))], Now + TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.Equal(["heard-1"], _heard.RequestIds);

        // A late subscriber's notification from the stored outcome is an outcome stored too; a redelivery is not.
        await TrackAsync("heard-1", correlationId: "late");
        await TrackAsync("heard-1", correlationId: "late");
        Assert.Equal(["heard-1", "heard-1"], _heard.RequestIds);

        await TrackAsync("heard-2", deadline: TimeSpan.FromSeconds(1));
        Assert.Single(await Store.ExpireOverdueAsync(Now + TimeSpan.FromSeconds(5), 10, CancellationToken.None));
        Assert.Equal(["heard-1", "heard-1", "heard-2"], _heard.RequestIds);
    }

    [Fact]
    public async Task Tracking_a_request_that_already_ended_queues_the_new_subscribers_event_from_the_stored_outcome()
    {
        await TrackAsync("done-1", correlationId: "first");
        var claimed = Assert.Single((await Store.ClaimDueAsync("a", 1, Now + TimeSpan.FromSeconds(2), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);
        var failed = TerminalOutcome.Failed(FailureReason.Error, new BriaError { Code = "422" }, Now);
        Assert.Equal(1, await Store.ApplyAsync("a", [Ended(claimed, Now + TimeSpan.FromSeconds(2), failed)], Now + TimeSpan.FromSeconds(2), CancellationToken.None));
        var first = await ClaimOutcomesAsync(Now + TimeSpan.FromSeconds(2));
        await Outbox.MarkSentAsync([.. first.Select(p => p.MessageId)], Now, CancellationToken.None);

        var late = await TrackAsync("done-1", correlationId: "late");
        var pending = await ClaimOutcomesAsync(Now + TimeSpan.FromSeconds(2));

        Assert.Equal(TrackingState.Failed, late.State);
        var notification = Assert.Single(pending);
        Assert.Equal("late", notification.Subscriber.CorrelationId);
        Assert.Equal("422", notification.Outcome.Error?.Code);
    }

    [Fact]
    public async Task The_budget_grants_no_more_than_its_tokens_a_pause_grants_nothing_and_it_counts_every_replicas_calls()
    {
        for (var i = 0; i < 10; i++)
        {
            await TrackAsync($"b-{i}");
        }

        var fiveAtOnce = new BudgetPolicy(5, 0.001); // one more token per second
        var at = Now + TimeSpan.FromSeconds(2);
        var first = await Store.ClaimDueAsync("a", 10, at, Lease, fiveAtOnce, takeEarly: false, CancellationToken.None);
        var same = await Store.ClaimDueAsync("a", 10, at, Lease, fiveAtOnce, takeEarly: false, CancellationToken.None);
        var second = await Store.ClaimDueAsync("b", 10, at + TimeSpan.FromSeconds(2), Lease, fiveAtOnce, takeEarly: false, CancellationToken.None);
        await Store.PauseUpstreamAsync(at + TimeSpan.FromSeconds(60), CancellationToken.None);
        var paused = await Store.ClaimDueAsync("a", 10, at + TimeSpan.FromSeconds(30), Lease, fiveAtOnce, takeEarly: false, CancellationToken.None);

        Assert.Equal(5, first.Requests.Count);
        Assert.Empty(same.Requests);
        Assert.True(same.BudgetExhausted);
        Assert.Equal(at + TimeSpan.FromSeconds(1), same.NextGrantAt);
        Assert.Equal(2, second.Requests.Count);
        Assert.Empty(paused.Requests);
        Assert.Equal(at + TimeSpan.FromSeconds(60), paused.NextGrantAt);
        // The shared count of granted calls: replica b's claim reads the 5 granted to a before its own 2.
        Assert.Equal([5, 5, 7, 7], new[] { first.Granted, same.Granted, second.Granted, paused.Granted });
    }

    private PollUpdate Running(ClaimedRequest request, DateTimeOffset at, TimeSpan next, TimeSpan? earlyFrom = null) =>
        new(request.RequestId, at, "InProgress", 200, request.Polls + 1, 0, 0, null, Now + next, null)
        {
            EarlyPollAt = earlyFrom is { } from ? Now + from : null,
        };

    [Fact]
    public async Task Calls_above_half_a_full_bucket_take_looks_early_at_the_jobs_looked_at_longest_ago_and_only_looks_that_may_come_early()
    {
        foreach (var id in new[] { "e-1", "e-2", "e-3", "fixed-1" })
        {
            await TrackAsync(id);
        }

        var polled = Now + TimeSpan.FromSeconds(2);
        var claimed = (await Store.ClaimDueAsync("a", 10, polled, Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests.ToDictionary(r => r.RequestId);
        await Store.ApplyAsync(
            "a",
            [
                Running(claimed["e-1"], polled, TimeSpan.FromSeconds(8), earlyFrom: TimeSpan.FromSeconds(3.5)),
                Running(claimed["e-2"], polled, TimeSpan.FromSeconds(10), earlyFrom: TimeSpan.FromSeconds(3)),
                Running(claimed["e-3"], polled, TimeSpan.FromSeconds(9), earlyFrom: TimeSpan.FromSeconds(6)),
                Running(claimed["fixed-1"], polled, TimeSpan.FromSeconds(5)),
            ],
            polled,
            CancellationToken.None);

        // A full bucket of 10 with nothing due: 5 spare, for the two looks that may come early by now, the one that may
        // since longest first (its job looked at longest ago: early from a minimum interval after the last look).
        var tenAtOnce = new BudgetPolicy(10, 0.001);
        // Not asked to (learned schedules plan looks a minimum interval apart): none.
        var notAsked = await Store.ClaimDueAsync("a", 10, Now + TimeSpan.FromSeconds(4), Lease, tenAtOnce, takeEarly: false, CancellationToken.None);
        var early = await Store.ClaimDueAsync("a", 10, Now + TimeSpan.FromSeconds(4), Lease, tenAtOnce, takeEarly: true, CancellationToken.None);
        var again = await Store.ClaimDueAsync("a", 10, Now + TimeSpan.FromSeconds(4), Lease, tenAtOnce, takeEarly: true, CancellationToken.None);
        // A bucket of 2: the due poll takes one and the other is the half kept back, so e-3 (early from 6 s) waits.
        var dueOnly = await Store.ClaimDueAsync("b", 10, Now + TimeSpan.FromSeconds(6.5), Lease, new BudgetPolicy(2, 0.001), takeEarly: true, CancellationToken.None);
        // Refilled to 10 before e-3's planned look at 9 s: it comes early.
        var refilled = await Store.ClaimDueAsync("b", 10, Now + TimeSpan.FromSeconds(8.5), Lease, new BudgetPolicy(10, 0.01), takeEarly: true, CancellationToken.None);

        Assert.Empty(notAsked.Requests);
        Assert.Equal(["e-2", "e-1"], early.Requests.Select(r => r.RequestId));
        Assert.All(early.Requests, r => Assert.True(r.Early));
        // Still planned (due) at 10 s and 8 s: taken early.
        Assert.Equal([Now + TimeSpan.FromSeconds(10), Now + TimeSpan.FromSeconds(8)], early.Requests.Select(r => r.DueAt));
        Assert.False(early.BudgetExhausted);
        Assert.Equal((6, 2), (early.Granted, early.EarlyGranted));
        Assert.Empty(again.Requests);
        var due = Assert.Single(dueOnly.Requests);
        Assert.Equal(("fixed-1", false), (due.RequestId, due.Early));
        Assert.Equal((7, 2), (dueOnly.Granted, dueOnly.EarlyGranted));
        var late = Assert.Single(refilled.Requests);
        Assert.Equal(("e-3", true), (late.RequestId, late.Early));
        Assert.Equal((8, 3), (refilled.Granted, refilled.EarlyGranted));

        // A look rescheduled without an early time (the plan at the minimum interval) never comes early again.
        await Store.ApplyAsync("a", [Running(early.Requests[0], Now + TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30))], Now + TimeSpan.FromSeconds(4), CancellationToken.None);
        var none = await Store.ClaimDueAsync("c", 10, Now + TimeSpan.FromSeconds(20), Lease, Unlimited, takeEarly: true, CancellationToken.None);
        Assert.DoesNotContain(none.Requests, r => r.RequestId == "e-2");
    }

    [Fact]
    public async Task Requests_past_their_deadline_end_as_timed_out()
    {
        await TrackAsync("deadline-1", deadline: TimeSpan.FromSeconds(5));
        await TrackAsync("deadline-2", firstPoll: TimeSpan.FromSeconds(3), deadline: TimeSpan.FromSeconds(5));
        var polled = Assert.Single((await Store.ClaimDueAsync("a", 1, Now + TimeSpan.FromSeconds(3), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);
        Assert.Equal("deadline-1", polled.RequestId);
        await Store.ApplyAsync("a", [Running(polled, Now + TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5))], Now + TimeSpan.FromSeconds(3), CancellationToken.None);

        var ended = await Store.ExpireOverdueAsync(Now + TimeSpan.FromSeconds(6), 100, CancellationToken.None);
        var view = await Store.GetAsync("deadline-1", CancellationToken.None);

        // The one seen running at 3 s ran longer than that; the one never polled says nothing of how long it ran.
        Assert.Equal(
            [new ExpiredRequest("deadline-1", EndpointKind.Image, Now, Now + TimeSpan.FromSeconds(3)), new ExpiredRequest("deadline-2", EndpointKind.Image, Now, null)],
            ended.OrderBy(e => e.RequestId));
        Assert.Equal(FailureReason.TimedOut, view!.Outcome?.Reason);
        Assert.Equal(Now + TimeSpan.FromSeconds(5), view.Outcome?.FinishedAt);
    }

    [Fact]
    public async Task Released_leases_make_requests_due_again_at_once()
    {
        await TrackAsync("rel-1");
        Assert.Single((await Store.ClaimDueAsync("a", 1, Now + TimeSpan.FromSeconds(2), Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests);

        var released = await Store.ReleaseLeasesAsync("a", CancellationToken.None);
        var reclaimed = await Store.ClaimDueAsync("b", 1, Now + TimeSpan.FromSeconds(3), Lease, Unlimited, takeEarly: false, CancellationToken.None);

        Assert.Equal(1, released);
        Assert.Single(reclaimed.Requests);
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_one_request_to_two_replicas()
    {
        for (var i = 0; i < 200; i++)
        {
            await TrackAsync($"race-{i}");
        }

        var at = Now + TimeSpan.FromSeconds(5);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(async () =>
            {
                var mine = new List<string>();
                for (var round = 0; round < 10; round++)
                {
                    mine.AddRange((await Store.ClaimDueAsync($"replica-{i}", 7, at, Lease, Unlimited, takeEarly: false, CancellationToken.None)).Requests.Select(r => r.RequestId));
                }

                return mine;
            })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(200, all.Count);
    }
}
