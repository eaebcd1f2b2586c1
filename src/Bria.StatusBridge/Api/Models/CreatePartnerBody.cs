namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/admin/partners</c>.</summary>
internal sealed record CreatePartnerBody(
    string? Name);
