namespace Bria.StatusBridge.Api.Models;

/// <summary>A delivery with its body and every attempt.</summary>
internal sealed record DeliveryDetailResponse(
    string DeliveryId,
    string? EndpointId,
    Uri Url,
    string? RequestId,
    string EventType,
    string State,
    int AttemptCount,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatus,
    string? LastError,
    string? Payload,
    IReadOnlyList<AttemptResponse> Attempts);
