namespace Bria.StatusBridge.Partners;

/// <summary>A partner's API key as stored: never the key itself.</summary>
internal sealed record ApiKeyRecord(
    string KeyId,
    string PartnerId,
    string Prefix,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
