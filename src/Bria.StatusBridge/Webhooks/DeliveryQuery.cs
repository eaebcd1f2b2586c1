namespace Bria.StatusBridge.Webhooks;

/// <summary>Filters for listing deliveries, newest first.</summary>
/// <param name="PartnerId">Only this partner's deliveries (tenant scope); null for every partner (operators).</param>
/// <param name="EndpointId">Only deliveries to this endpoint.</param>
/// <param name="State">Only deliveries in this state.</param>
/// <param name="RequestId">Only deliveries for this Bria request.</param>
/// <param name="EventType">Only this event type.</param>
/// <param name="Since">Created at or after.</param>
/// <param name="Until">Created before.</param>
/// <param name="Limit">Page size, 1 to 500.</param>
/// <param name="Cursor">The <see cref="DeliveryPage.NextCursor"/> of the previous page.</param>
internal sealed record DeliveryQuery(
    string? PartnerId,
    string? EndpointId = null,
    DeliveryState? State = null,
    string? RequestId = null,
    string? EventType = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    int Limit = 50,
    string? Cursor = null);
