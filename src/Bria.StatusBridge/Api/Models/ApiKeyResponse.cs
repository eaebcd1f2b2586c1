namespace Bria.StatusBridge.Api.Models;

/// <summary>An API key as listed: the prefix identifies it, the key itself is never shown again.</summary>
internal sealed record ApiKeyResponse(
    string KeyId,
    string PartnerId,
    string Prefix,
    string? Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
