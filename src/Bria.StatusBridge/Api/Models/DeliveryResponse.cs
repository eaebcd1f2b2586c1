namespace Bria.StatusBridge.Api.Models;

/// <summary>One webhook message to one destination; <c>delivery_id</c> is the <c>webhook-id</c> header of every attempt.</summary>
internal sealed record DeliveryResponse(
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
    string? LastError);
