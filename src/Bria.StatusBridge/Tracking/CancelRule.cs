namespace Bria.StatusBridge.Tracking;

/// <summary>What a partner's cancel does to a request: which of its subscriptions end, and whether the poll loop ends
/// with them (only when nobody else waits). A pure decision: the tracking store reads the request and writes the result.</summary>
internal static class CancelRule
{
    /// <param name="state">The request's state, or null when the request is unknown.</param>
    /// <param name="subscribers">Every subscriber of the request.</param>
    /// <param name="partnerId">The partner that cancels.</param>
    public static CancelDecision Decide(TrackingState? state, IReadOnlyList<SubscriberView> subscribers, string partnerId)
    {
        var own = state is null ? [] : subscribers.Where(s => s.PartnerId == partnerId).ToList();
        if (own.Count == 0)
        {
            return new CancelDecision(CancelResult.NotFound, []);
        }

        if (state != TrackingState.Tracking)
        {
            return new CancelDecision(CancelResult.AlreadyEnded, []);
        }

        var active = own.Where(s => s.CancelledAt is null).OrderBy(s => s.SubscriberId, StringComparer.Ordinal).ToList();
        if (active.Count == 0)
        {
            return new CancelDecision(CancelResult.AlreadyCancelled, []);
        }

        // The loop ends only when nobody else waits; others keep their subscription and their outcome.
        var othersWait = subscribers.Any(s => s.PartnerId != partnerId && s.CancelledAt is null);
        return new CancelDecision(othersWait ? CancelResult.CancelledSubscription : CancelResult.CancelledRequest, active);
    }
}
