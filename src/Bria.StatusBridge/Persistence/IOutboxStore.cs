using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Persistence;

/// <summary>The one outbox (<c>outbox</c>) of every bus message: outcome events and operator events, written in the
/// transaction of the change they report and drained by the <see cref="OutboxDispatcher"/>. The only writer of the table.</summary>
internal interface IOutboxStore
{
    /// <summary>Queues one outcome event per subscriber; its MessageId is derived from the request and the subscriber,
    /// so queueing it again changes nothing.</summary>
    Task EnqueueOutcomesAsync(
        StoreTransaction transaction, string requestId, TrackingState state, IReadOnlyCollection<string> subscriberIds, long at, CancellationToken cancellationToken);

    /// <summary>Queues a message whose body is stored with it (operator events), under its derived MessageId.</summary>
    Task EnqueueAsync<T>(StoreTransaction transaction, Guid messageId, T message, long at, CancellationToken cancellationToken)
        where T : class;

    /// <summary>Claims up to <paramref name="maxCount"/> unsent messages that are due, oldest first, under a lease.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks messages as published (the broker confirmed them).</summary>
    Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a failed publish and when to try again.</summary>
    Task MarkFailedAsync(Guid messageId, DateTimeOffset retryAt, string error, CancellationToken cancellationToken);

    /// <summary>When the next unsent message is due, or null when none is waiting.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Hands back the leases <paramref name="owner"/> holds on unsent messages, so they are due again at once.</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>How many messages wait to be published.</summary>
    Task<long> BacklogAsync(CancellationToken cancellationToken);

    /// <summary>How many messages of each type wait to be published, for the backlog gauges.</summary>
    Task<IReadOnlyDictionary<string, long>> BacklogByTypeAsync(CancellationToken cancellationToken);
}
