namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/webhook-endpoints</c>.</summary>
internal sealed record CreateEndpointBody(
    string? Url,
    IReadOnlyList<string>? EventTypes,
    string? Description);
