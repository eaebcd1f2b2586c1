namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/webhook-endpoints</c>.</summary>
/// <param name="Url">The https URL that receives the webhooks (http and private addresses only where the operator allows them).</param>
/// <param name="EventTypes">One or more of request.completed and request.failed.</param>
/// <param name="Description">A label for people, at most 500 characters.</param>
internal sealed record CreateEndpointBody(
    string? Url,
    IReadOnlyList<string>? EventTypes,
    string? Description = null);
