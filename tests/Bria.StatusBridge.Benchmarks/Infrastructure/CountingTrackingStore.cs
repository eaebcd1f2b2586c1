using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The real store, timed per statement family.</summary>
internal sealed class CountingTrackingStore(ITrackingStore inner, StageCounters counters) : ITrackingStore
{
    public Task<TrackResult> TrackAsync(TrackingCommand command, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken cancellationToken) =>
        counters.TimeAsync("store.track", () => inner.TrackAsync(command, now, firstPollAt, cancellationToken));

    public async Task<ClaimResult> ClaimDueAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, BudgetPolicy budget, bool takeEarly, CancellationToken cancellationToken)
    {
        ClaimResult? result = null;
        await counters.TimeAsync("store.claim", async () => result = await inner.ClaimDueAsync(owner, maxCount, now, lease, budget, takeEarly, cancellationToken));
        return result!;
    }

    public Task<int> ApplyAsync(string owner, IReadOnlyList<PollUpdate> updates, DateTimeOffset now, CancellationToken cancellationToken) =>
        counters.TimeAsync("store.write-back", () => inner.ApplyAsync(owner, updates, now, cancellationToken), updates.Count);

    public Task<PushApplied> ApplyPushAsync(string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        counters.TimeAsync("store.push", () => inner.ApplyPushAsync(requestId, outcome, now, cancellationToken));

    public Task<PushApplied> ApplyPushAsync(
        StoreTransaction transaction, string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ApplyPushAsync(transaction, requestId, outcome, now, cancellationToken);

    public Task<IReadOnlyList<ExpiredRequest>> ExpireOverdueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken) =>
        counters.TimeAsync("store.expire", () => inner.ExpireOverdueAsync(now, maxCount, cancellationToken));

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        counters.TimeAsync("store.next-due", () => inner.NextDueAsync(cancellationToken));

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) => inner.ReleaseLeasesAsync(owner, cancellationToken);

    public Task<CancelResult> CancelAsync(string requestId, string partnerId, bool notify, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CancelAsync(requestId, partnerId, notify, now, cancellationToken);

    public Task PauseUpstreamAsync(DateTimeOffset until, CancellationToken cancellationToken) => inner.PauseUpstreamAsync(until, cancellationToken);

    public Task<TrackedRequestView?> GetAsync(string requestId, CancellationToken cancellationToken) => inner.GetAsync(requestId, cancellationToken);

    public Task<IReadOnlyList<PartnerRequestSummary>> ListForPartnerAsync(string partnerId, int limit, CancellationToken cancellationToken) =>
        inner.ListForPartnerAsync(partnerId, limit, cancellationToken);

    public Task<IReadOnlyDictionary<TrackingState, long>> CountByStateAsync(CancellationToken cancellationToken) => inner.CountByStateAsync(cancellationToken);
}
