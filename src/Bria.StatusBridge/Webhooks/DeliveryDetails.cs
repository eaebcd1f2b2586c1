namespace Bria.StatusBridge.Webhooks;

/// <summary>A delivery with its payload and every attempt, oldest first.</summary>
internal sealed record DeliveryDetails(DeliverySummary Delivery, string Payload, IReadOnlyList<DeliveryAttemptView> Attempts);
