namespace Bria.StatusBridge.Api.Models;

/// <summary>A newly registered webhook endpoint with its signing secret.</summary>
internal sealed record CreatedEndpointResponse(
    string EndpointId,
    Uri Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    DateTimeOffset CreatedAt,
    string Secret);
