namespace Bria.StatusBridge.Webhooks;

/// <summary>One page of deliveries; <paramref name="NextCursor"/> is null on the last page.</summary>
internal sealed record DeliveryPage(IReadOnlyList<DeliverySummary> Items, string? NextCursor);
