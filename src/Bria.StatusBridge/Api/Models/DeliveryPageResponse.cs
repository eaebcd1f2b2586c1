namespace Bria.StatusBridge.Api.Models;

/// <summary>A page of deliveries, newest first; pass <c>next_cursor</c> as <c>cursor</c> for the next page.</summary>
internal sealed record DeliveryPageResponse(
    IReadOnlyList<DeliveryResponse> Data,
    string? NextCursor,
    bool Done);
