namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/admin/partners/{partner_id}/keys</c>; the name is a label for people.</summary>
internal sealed record CreateApiKeyBody(
    string? Name = null);
