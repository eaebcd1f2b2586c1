using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Persistence;

/// <summary>Webhook messages and their attempts: queued with an outcome or a test event, claimed and recorded by the
/// dispatcher, listed, inspected and replayed through the API. Every API method takes the caller's partner id:
/// another partner's deliveries are not found (null partner id: operator scope, every partner).</summary>
internal interface IDeliveryStore
{
    /// <summary>Queues messages in the caller's transaction, due at once; a message queued again is ignored.</summary>
    Task<int> InsertAsync(StoreTransaction transaction, IReadOnlyCollection<NewDelivery> deliveries, long at, CancellationToken cancellationToken);

    /// <summary>Queues a message for one endpoint, due now (the delivery engine signs and sends it).</summary>
    Task<DeliveryRecord> EnqueueDeliveryAsync(string partnerId, EndpointRecord endpoint, string eventType, string? requestId, string payload, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="maxCount"/> due deliveries under a lease, taking them round-robin across
    /// destinations and never more than <paramref name="maxPerDestination"/> in flight (leased) per destination.
    /// Deliveries to disabled endpoints are not claimed.</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string owner, int maxCount, int maxPerDestination, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records one attempt and the delivery's next state from <paramref name="decision"/>, in the caller's
    /// transaction. Returns the delivery's attempt count, or null when <paramref name="owner"/> lost its lease (the
    /// attempt is recorded anyway; the delivery is left to its new owner).</summary>
    Task<int?> RecordAttemptAsync(
        StoreTransaction transaction, string owner, ClaimedDelivery delivery, AttemptResult attempt, DeliveryDecision decision, CancellationToken cancellationToken);

    /// <summary>Fails every pending delivery of an endpoint that stops receiving (disabled or deleted).</summary>
    Task FailPendingAsync(StoreTransaction transaction, string endpointId, string error, CancellationToken cancellationToken);

    /// <summary>Hands back every lease <paramref name="owner"/> holds on pending deliveries, so they are due again at once
    /// (a replica restarting under its name, or stopping gracefully). Returns how many.</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

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

    /// <summary>A page of an endpoint's deliveries, newest first, one more than asked when more follow.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string partnerId, string endpointId, DeliveryFilter query, CancellationToken cancellationToken);

    Task<DeliveryRecord?> GetDeliveryAsync(string partnerId, string deliveryId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AttemptRecord>> ListAttemptsAsync(string deliveryId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> ListRequestDeliveriesAsync(string partnerId, string requestId, CancellationToken cancellationToken);
}
