namespace Bria.StatusBridge.Partners;

/// <summary>A partner: a tenant of the API.</summary>
internal sealed record PartnerRecord(string PartnerId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);
