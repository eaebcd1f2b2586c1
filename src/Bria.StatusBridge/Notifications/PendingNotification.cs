using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Notifications;

/// <summary>An outbox row claimed for publishing, with the stored outcome and the subscriber it is for.</summary>
internal sealed record PendingNotification(
    Guid MessageId,
    string RequestId,
    int Attempts,
    TerminalOutcome Outcome,
    DateTimeOffset NoticedAt,
    SubscriberView Subscriber,
    string? TraceParent);
