using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Notifications;

/// <summary>Builds a subscriber's outcome event from the stored outcome: the same content on every republish.</summary>
internal static class OutcomeEvents
{
    /// <summary>Whether an outbox message type is an outcome event (the others are operator events).</summary>
    public static bool IsOutcomeType(string messageType) => messageType is nameof(RequestCompleted) or nameof(RequestFailed);

    public static object Create(PendingNotification notification)
    {
        var subscriber = notification.Subscriber;
        var outcome = notification.Outcome;
        if (outcome.Reason is null)
        {
            return new RequestCompleted
            {
                RequestId = notification.RequestId,
                CorrelationId = subscriber.CorrelationId,
                PartnerId = subscriber.PartnerId,
                Metadata = subscriber.Metadata,
                Result = outcome.Result ?? new BriaResult(),
                FinishedAt = outcome.FinishedAt,
                NoticedAt = notification.NoticedAt,
            };
        }

        return new RequestFailed
        {
            RequestId = notification.RequestId,
            CorrelationId = subscriber.CorrelationId,
            PartnerId = subscriber.PartnerId,
            Metadata = subscriber.Metadata,
            Reason = outcome.Reason.Value,
            Error = outcome.Error,
            FinishedAt = outcome.FinishedAt,
            NoticedAt = notification.NoticedAt,
        };
    }
}
