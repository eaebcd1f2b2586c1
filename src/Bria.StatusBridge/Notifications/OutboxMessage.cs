namespace Bria.StatusBridge.Notifications;

/// <summary>An outbox row claimed for publishing: an outcome event, built from the stored outcome
/// (<see cref="Outcome"/>), or an operator event whose body was stored with it (<see cref="PayloadJson"/>).</summary>
internal sealed record OutboxMessage(Guid MessageId, string MessageType, int Attempts, PendingNotification? Outcome, string? PayloadJson);
