using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Persistence;

/// <summary>The outbox of operator events (<c>operator_events</c>): written with the change they report, drained
/// to the bus by <see cref="OperatorEventDispatcher"/>.</summary>
internal interface IOperatorEventStore
{
    /// <summary>Claims up to <paramref name="maxCount"/> unsent events that are due, oldest first, under a lease.</summary>
    Task<IReadOnlyList<PendingOperatorEvent>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks events as published.</summary>
    Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a failed publish and when to try again.</summary>
    Task MarkFailedAsync(Guid messageId, DateTimeOffset retryAt, string error, CancellationToken cancellationToken);

    /// <summary>How many events wait to be published, for the backlog gauge.</summary>
    Task<long> BacklogAsync(CancellationToken cancellationToken);

    /// <summary>When the next unsent event is due, or null.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);
}
