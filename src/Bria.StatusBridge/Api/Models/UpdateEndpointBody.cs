namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>PATCH /v1/webhook-endpoints/{endpoint_id}</c>: absent fields stay as they are; an empty description clears it.</summary>
internal sealed record UpdateEndpointBody(
    string? Url = null,
    IReadOnlyList<string>? EventTypes = null,
    string? Description = null);
