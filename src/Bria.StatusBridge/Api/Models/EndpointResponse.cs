namespace Bria.StatusBridge.Api.Models;

/// <summary>A webhook endpoint, without its secret (see <c>GET .../secret</c>).</summary>
internal sealed record EndpointResponse(
    string EndpointId,
    Uri Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
