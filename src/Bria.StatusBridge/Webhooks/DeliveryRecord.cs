namespace Bria.StatusBridge.Webhooks;

/// <summary>One webhook message to one destination, as stored by the delivery engine.</summary>
internal sealed record DeliveryRecord(
    string DeliveryId,
    string? EndpointId,
    Uri Url,
    string? RequestId,
    string EventType,
    string State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatus,
    string? LastError,
    string? Payload);
