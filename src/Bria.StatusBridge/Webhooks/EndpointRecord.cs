namespace Bria.StatusBridge.Webhooks;

/// <summary>A partner's webhook endpoint as stored, secrets included (the API decides what to show).</summary>
internal sealed record EndpointRecord(
    string EndpointId,
    string PartnerId,
    Uri Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    string Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
