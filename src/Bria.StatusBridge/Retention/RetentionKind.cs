namespace Bria.StatusBridge.Retention;

/// <summary>A kind of history with its own retention period.</summary>
internal enum RetentionKind
{
    /// <summary>Completed or failed tracked requests with their subscribers.</summary>
    FinishedRequests = 0,

    /// <summary>Outbox rows published on the bus.</summary>
    SentOutbox = 1,

    /// <summary>Delivered or failed webhook messages with their attempts.</summary>
    Deliveries = 2,

    /// <summary>The receivers' answers kept on attempt rows (set to null; the attempt row stays).</summary>
    AttemptAnswers = 3,

    /// <summary>Bria webhooks kept for requests that were never tracked (they came before a TrackRequest that never followed).</summary>
    EarlyWebhooks = 4,
}
