using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Persistence;

/// <summary>Partners and their API keys, and each partner's own signing secret (<c>partners.signing_secret</c>), which
/// signs the per-request webhook URLs of that partner's subscribers.</summary>
internal interface IPartnerStore
{
    Task<PartnerRecord> CreatePartnerAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<PartnerRecord>> ListPartnersAsync(CancellationToken cancellationToken);

    Task<PartnerRecord?> GetPartnerAsync(string partnerId, CancellationToken cancellationToken);

    Task<ApiKeyRecord> AddApiKeyAsync(string partnerId, string keyHash, string prefix, string? name, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string partnerId, CancellationToken cancellationToken);

    /// <summary>Revokes a key (idempotent: an already revoked key keeps its first revocation time); null when unknown.</summary>
    Task<ApiKeyRecord?> RevokeApiKeyAsync(string partnerId, string keyId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<ApiKeyMatch?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Records a use of the key unless one was recorded after <paramref name="staleBefore"/>.</summary>
    Task TouchApiKeyAsync(string keyId, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken);

    /// <summary>The partner's own signing secrets, created on first use. Null when the partner does not exist.</summary>
    Task<SigningSecrets?> GetSigningSecretsAsync(string partnerId, CancellationToken cancellationToken);

    /// <summary>Rotates the partner's own signing secret to <paramref name="newSecret"/> (a random one when null); the
    /// replaced one keeps signing for <c>Webhooks:SecretRotationOverlap</c>. Null when the partner does not exist.</summary>
    Task<SigningSecrets?> RotateSigningSecretAsync(string partnerId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives a partner created without a signing secret its first one, in the caller's transaction (a message
    /// to one of its per-request URLs is about to be queued).</summary>
    Task EnsureSigningSecretAsync(StoreTransaction transaction, string partnerId, CancellationToken cancellationToken);
}
