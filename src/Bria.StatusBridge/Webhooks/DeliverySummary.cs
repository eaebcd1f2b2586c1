namespace Bria.StatusBridge.Webhooks;

/// <summary>A delivery without its payload and attempts (for lists).</summary>
internal sealed record DeliverySummary(
    string DeliveryId,
    string? EndpointId,
    string? PartnerId,
    Uri Url,
    string? RequestId,
    string? SubscriberId,
    string EventType,
    DeliveryState State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError);
