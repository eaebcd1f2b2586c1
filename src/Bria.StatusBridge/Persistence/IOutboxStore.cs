using Bria.StatusBridge.Notifications;

namespace Bria.StatusBridge.Persistence;

/// <summary>The outbox of outcome events: written with the terminal transition, drained by the dispatcher.</summary>
internal interface IOutboxStore
{
    /// <summary>Claims up to <paramref name="maxCount"/> unsent events that are due, oldest first, under a lease.</summary>
    Task<IReadOnlyList<PendingNotification>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks events as published (the broker confirmed them).</summary>
    Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a failed publish and when to try again.</summary>
    Task MarkFailedAsync(Guid messageId, DateTimeOffset retryAt, string error, CancellationToken cancellationToken);

    /// <summary>When the next unsent event is due, or null when none is waiting.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Hands back the leases <paramref name="owner"/> holds on unsent events, so they are due again at once.</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>How many events wait to be published.</summary>
    Task<long> BacklogAsync(CancellationToken cancellationToken);
}
