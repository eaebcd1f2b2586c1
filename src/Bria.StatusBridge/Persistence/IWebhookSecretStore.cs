using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Persistence;

/// <summary>Signing secrets: each endpoint's (<c>webhook_endpoints.secret</c>, set with
/// <see cref="WebhookSecret.Generate"/> when the endpoint is created) and each partner's own secret
/// (<c>partners.signing_secret</c>), which signs the per-request webhook URLs of that partner's subscribers.
/// A rotation keeps the replaced secret signing for <c>Webhooks:SecretRotationOverlap</c> (24 h).</summary>
internal interface IWebhookSecretStore
{
    /// <summary>Rotates an endpoint's secret to <paramref name="newSecret"/> (a random one when null). Null when the
    /// endpoint does not exist or belongs to another partner.</summary>
    Task<SigningSecrets?> RotateEndpointSecretAsync(string partnerId, string endpointId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The partner's own secrets, created on first use. Null when the partner does not exist.</summary>
    Task<SigningSecrets?> GetPartnerSecretsAsync(string partnerId, CancellationToken cancellationToken);

    /// <summary>Rotates the partner's own secret. Null when the partner does not exist.</summary>
    Task<SigningSecrets?> RotatePartnerSecretAsync(string partnerId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken);
}
