using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Notifications;

/// <summary>The MassTransit <c>MessageId</c> of a subscriber's outcome event: derived, so that a republish after a
/// crash carries the id of the first publish and consumers can drop the duplicate.</summary>
internal static class OutboxMessageId
{
    public static Guid For(string requestId, string subscriberId) => DeterministicId.Create("event", requestId, subscriberId);
}
