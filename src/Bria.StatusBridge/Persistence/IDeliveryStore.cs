using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Persistence;

/// <summary>Webhook messages and their attempts: claimed and recorded by the dispatcher, listed, inspected and
/// replayed through the API. Every API method takes the caller's partner id: another partner's deliveries are not
/// found (null partner id: operator scope, every partner).</summary>
internal interface IDeliveryStore
{
    /// <summary>Claims up to <paramref name="maxCount"/> due deliveries under a lease, taking them round-robin across
    /// destinations and never more than <paramref name="maxPerDestination"/> in flight (leased) per destination.
    /// Deliveries to disabled endpoints are not claimed.</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, int maxCount, int maxPerDestination, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records one attempt and applies <paramref name="decision"/> in one transaction: the delivery's next
    /// state, the endpoint's failing-since mark, disabling the endpoint (410, or failing for longer than
    /// <paramref name="disableAfter"/>) and the operator events that follow.</summary>
    Task<AttemptRecorded> RecordAttemptAsync(string owner, ClaimedDelivery delivery, AttemptResult attempt, DeliveryDecision decision, TimeSpan disableAfter, CancellationToken cancellationToken);

    /// <summary>Gives claimed deliveries back without an attempt (shutting down): due again at once.</summary>
    Task ReleaseAsync(string owner, IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery becomes claimable, or null when none waits.</summary>
    Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many deliveries are pending (due now or scheduled for a retry), for the backlog gauge.</summary>
    Task<long> BacklogAsync(CancellationToken cancellationToken);

    /// <summary>Sends one delivery again now, whatever its state, with the same <c>webhook-id</c> and body. A delivered
    /// or failed one gets one more attempt; a pending one is brought forward.</summary>
    Task<RetryOutcome> RetryAsync(string? partnerId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Sends again every failed delivery created since <paramref name="since"/> (of one endpoint, or of all
    /// the partner's destinations when <paramref name="endpointId"/> is null), one more attempt each. Returns how many.</summary>
    Task<int> RecoverFailedAsync(string? partnerId, string? endpointId, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken);
}
