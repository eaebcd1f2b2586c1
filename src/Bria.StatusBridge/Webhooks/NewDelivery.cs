namespace Bria.StatusBridge.Webhooks;

/// <summary>A webhook message to queue: its id (the <c>webhook-id</c>), destination and body.</summary>
internal sealed record NewDelivery(
    string DeliveryId,
    string? EndpointId,
    string? PartnerId,
    string Url,
    string Destination,
    string? RequestId,
    string? SubscriberId,
    string EventType,
    string Payload);
