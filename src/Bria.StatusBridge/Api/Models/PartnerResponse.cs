namespace Bria.StatusBridge.Api.Models;

/// <summary>A partner.</summary>
internal sealed record PartnerResponse(
    string PartnerId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DisabledAt);
