using System.Collections.Concurrent;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Fakes;

/// <summary>A tracking store in memory for the loops' fast tests: answers what the test queues and records what
/// the code under test asked for.</summary>
internal sealed class FakeTrackingStore : ITrackingStore
{
    public ConcurrentQueue<ClaimResult> Claims { get; } = new();

    public List<(TrackingCommand Command, DateTimeOffset Now, DateTimeOffset FirstPollAt)> Tracked { get; } = [];

    public List<DateTimeOffset> Expired { get; } = [];

    /// <summary>What the next <see cref="ExpireOverdueAsync"/> ends.</summary>
    public List<ExpiredRequest> Expiring { get; } = [];

    public ConcurrentQueue<DateTimeOffset> Pauses { get; } = new();

    public TrackResult NextTrackResult { get; set; } = new(true, true, TrackingState.Tracking, "s-1");

    public DateTimeOffset? NextDue { get; set; }

    public Task<TrackResult> TrackAsync(TrackingCommand command, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken cancellationToken)
    {
        Tracked.Add((command, now, firstPollAt));
        return Task.FromResult(NextTrackResult);
    }

    /// <summary>Whether each claim asked for looks taken early, in order.</summary>
    public ConcurrentQueue<bool> TakeEarly { get; } = new();

    public Task<ClaimResult> ClaimDueAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, BudgetPolicy budget, bool takeEarly, CancellationToken cancellationToken)
    {
        TakeEarly.Enqueue(takeEarly);
        return Task.FromResult(Claims.TryDequeue(out var claim) ? claim : new ClaimResult([], false, now));
    }

    public Task<int> ApplyAsync(string owner, IReadOnlyList<PollUpdate> updates, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(updates.Count(u => u.Outcome is not null));

    public List<(string RequestId, TerminalOutcome? Outcome)> Pushes { get; } = [];

    /// <summary>What a push finds: tests of the tracking service leave it at "not tracked".</summary>
    public PushApplied NextPushApplied { get; set; } = PushApplied.NotTracked;

    public Task<PushApplied> ApplyPushAsync(string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Pushes.Add((requestId, outcome));
        return Task.FromResult(NextPushApplied);
    }

    public Task<PushApplied> ApplyPushAsync(
        StoreTransaction transaction, string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        ApplyPushAsync(requestId, outcome, now, cancellationToken);

    public Task<IReadOnlyList<ExpiredRequest>> ExpireOverdueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        Expired.Add(now);
        IReadOnlyList<ExpiredRequest> ended = [.. Expiring];
        Expiring.Clear();
        return Task.FromResult(ended);
    }

    public Task<CancelResult> CancelAsync(string requestId, string partnerId, bool notify, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(CancelResult.NotFound);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => Task.FromResult(NextDue);

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task PauseUpstreamAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        Pauses.Enqueue(until);
        return Task.CompletedTask;
    }

    /// <summary>What <see cref="GetAsync"/> answers, by request id (null for any other).</summary>
    public ConcurrentDictionary<string, TrackedRequestView> Views { get; } = new(StringComparer.Ordinal);

    public Task<TrackedRequestView?> GetAsync(string requestId, CancellationToken cancellationToken) =>
        Task.FromResult(Views.TryGetValue(requestId, out var view) ? view : null);

    public Task<IReadOnlyList<PartnerRequestSummary>> ListForPartnerAsync(string partnerId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PartnerRequestSummary>>([]);

    public Task<IReadOnlyDictionary<TrackingState, long>> CountByStateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<TrackingState, long>>(new Dictionary<TrackingState, long>());
}
