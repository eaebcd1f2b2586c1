namespace Bria.StatusBridge.Partners;

/// <summary>The stored key whose hash matched a presented key, with what decides whether it may be used.</summary>
internal sealed record ApiKeyMatch(string KeyId, string PartnerId, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? PartnerDisabledAt);
