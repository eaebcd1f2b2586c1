using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Persistence;

/// <summary>The durable state of tracking: requests, their subscribers, and the upstream budget.</summary>
internal interface ITrackingStore
{
    /// <summary>Stores a request (or finds it) and adds the subscriber; for a request that already ended, queues the
    /// subscriber's notification from the stored outcome in the same transaction.</summary>
    Task<TrackResult> TrackAsync(TrackingCommand command, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="maxCount"/> due requests, oldest due first, as far as the shared budget allows;
    /// with <paramref name="takeEarly"/>, the calls above half a full bucket (which it would otherwise lose) then go to
    /// looks that may come early (<see cref="Polling.PollUpdate.EarlyPollAt"/>), at the jobs looked at longest ago first.</summary>
    Task<ClaimResult> ClaimDueAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, BudgetPolicy budget, bool takeEarly, CancellationToken cancellationToken);

    /// <summary>Writes poll results back in one transaction; terminal ones queue a notification per subscriber.
    /// An update whose lease was lost to another replica is dropped. Returns how many became terminal.</summary>
    Task<int> ApplyAsync(string owner, IReadOnlyList<PollUpdate> updates, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Applies a webhook from Bria to a tracked request in its own transaction: a terminal
    /// <paramref name="outcome"/> ends it with its notifications (once: a duplicate finds it ended); none makes it due now.</summary>
    Task<PushApplied> ApplyPushAsync(string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary><see cref="ApplyPushAsync(string, TerminalOutcome?, DateTimeOffset, CancellationToken)"/> in the caller's transaction.</summary>
    Task<PushApplied> ApplyPushAsync(
        StoreTransaction transaction, string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends requests whose deadline passed (unleased ones), as <c>TimedOut</c>. Returns the ones it ended, with
    /// what the duration estimate can learn from them.</summary>
    Task<IReadOnlyList<ExpiredRequest>> ExpireOverdueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken);

    /// <summary>Cancels a partner's subscriptions to a request that is still tracking, queueing a <c>Cancelled</c>
    /// notification for each when <paramref name="notify"/>; when no other subscriber remains, polling pauses (the request
    /// stays tracking, with no next poll) until <see cref="TrackAsync"/> adds a new subscriber.</summary>
    Task<CancelResult> CancelAsync(string requestId, string partnerId, bool notify, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The earliest time an unleased tracking request is due (its next poll, capped at its deadline), or null when none is tracking.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Hands back the leases <paramref name="owner"/> holds, so that its requests are due again at once (graceful stop).</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Stops every poll until <paramref name="until"/> (after a 429).</summary>
    Task PauseUpstreamAsync(DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>One request with its subscribers, or null.</summary>
    Task<TrackedRequestView?> GetAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>The requests a partner subscribed to, most recently subscribed first (for the portal's list).</summary>
    Task<IReadOnlyList<PartnerRequestSummary>> ListForPartnerAsync(string partnerId, int limit, CancellationToken cancellationToken);

    /// <summary>How many requests are in each state.</summary>
    Task<IReadOnlyDictionary<TrackingState, long>> CountByStateAsync(CancellationToken cancellationToken);
}
