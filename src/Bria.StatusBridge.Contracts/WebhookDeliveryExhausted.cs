namespace Bria.StatusBridge.Contracts;

/// <summary>Event for operators: a webhook message used up its retry schedule without a 2xx answer and is now
/// failed. It can still be retried by hand; the retry keeps the same <c>webhook-id</c>.</summary>
public sealed record WebhookDeliveryExhausted
{
    /// <summary>The delivery's id: the <c>webhook-id</c> header of every attempt.</summary>
    public string DeliveryId { get; init; } = "";

    /// <summary>The partner endpoint it was sent to, or null for a per-request webhook URL.</summary>
    public string? EndpointId { get; init; }

    /// <summary>The partner of the subscriber, if any.</summary>
    public string? PartnerId { get; init; }

    /// <summary>Where it was sent.</summary>
    public Uri? Url { get; init; }

    /// <summary>Bria's <c>request_id</c> whose outcome the message carried; null for a test event, which carries none.</summary>
    public string? RequestId { get; init; }

    /// <summary>The event type: <c>request.completed</c>, <c>request.failed</c> or <c>webhook.test</c>.</summary>
    public string EventType { get; init; } = "";

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; init; }

    /// <summary>The HTTP status of the last attempt, if the receiver answered.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>The error of the last attempt, if it did not answer.</summary>
    public string? LastError { get; init; }

    /// <summary>When the last attempt failed.</summary>
    public DateTimeOffset ExhaustedAt { get; init; }
}
