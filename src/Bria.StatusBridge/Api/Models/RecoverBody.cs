namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/webhook-endpoints/{endpoint_id}/recover</c>.</summary>
internal sealed record RecoverBody(
    DateTimeOffset? Since);
