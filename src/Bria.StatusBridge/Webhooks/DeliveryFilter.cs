namespace Bria.StatusBridge.Webhooks;

/// <summary>Filters and a page of an endpoint's deliveries, newest first; the cursor is the last row of the previous page.</summary>
internal sealed record DeliveryFilter(
    string? State,
    string? EventType,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    int Limit,
    DeliveryCursor? After);
