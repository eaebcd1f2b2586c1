namespace Bria.StatusBridge.Api.Models;

/// <summary>An endpoint's signing secret; after a rotation the previous one still signs until <c>previous_key_expires_at</c>.</summary>
internal sealed record SecretResponse(
    string Key,
    DateTimeOffset? PreviousKeyExpiresAt);
