using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Persistence;

/// <summary>Partners and their API keys (<c>partners</c>, <c>api_keys</c>), the partner's own signing secret
/// included: the only writer of both tables. Partner-facing statements always carry <c>partner_id = @PartnerId</c>:
/// another partner's rows are simply not found.</summary>
internal sealed class PartnerStore(IDbConnectionFactory connections, IOptions<WebhookOptions> webhooks) : IPartnerStore
{
    private const string KeyColumns = """
        key_id AS KeyId, partner_id AS PartnerId, key_prefix AS Prefix, name AS Name, created_at AS CreatedAt,
        last_used_at AS LastUsedAt, revoked_at AS RevokedAt
        """;

    public async Task<PartnerRecord> CreatePartnerAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partner = new PartnerRecord(Ids.New(Ids.Partner), name, now, null);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO partners (partner_id, name, created_at) VALUES (@PartnerId, @Name, @At)",
            new { partner.PartnerId, partner.Name, At = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return partner;
    }

    public async Task<IReadOnlyList<PartnerRecord>> ListPartnersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PartnerRow>(new CommandDefinition(
            "SELECT partner_id AS PartnerId, name AS Name, created_at AS CreatedAt, disabled_at AS DisabledAt FROM partners ORDER BY created_at, partner_id",
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<PartnerRecord?> GetPartnerAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PartnerRow>(new CommandDefinition(
            "SELECT partner_id AS PartnerId, name AS Name, created_at AS CreatedAt, disabled_at AS DisabledAt FROM partners WHERE partner_id = @PartnerId",
            new { PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<ApiKeyRecord> AddApiKeyAsync(string partnerId, string keyHash, string prefix, string? name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = new ApiKeyRecord(Ids.New(Ids.ApiKey), partnerId, prefix, name, now, null, null);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_keys (key_id, partner_id, key_hash, key_prefix, name, created_at)
            VALUES (@KeyId, @PartnerId, @KeyHash, @Prefix, @Name, @At)
            """,
            new { key.KeyId, PartnerId = partnerId, KeyHash = keyHash, Prefix = prefix, Name = name, At = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return key;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(new CommandDefinition(
            $"SELECT {KeyColumns} FROM api_keys WHERE partner_id = @PartnerId ORDER BY created_at, key_id",
            new { PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<ApiKeyRecord?> RevokeApiKeyAsync(string partnerId, string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @At WHERE key_id = @KeyId AND partner_id = @PartnerId AND revoked_at IS NULL",
            new { KeyId = keyId, PartnerId = partnerId, At = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(
            $"SELECT {KeyColumns} FROM api_keys WHERE key_id = @KeyId AND partner_id = @PartnerId",
            new { KeyId = keyId, PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<ApiKeyMatch?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<KeyMatchRow>(new CommandDefinition(
            """
            SELECT k.key_id AS KeyId, k.partner_id AS PartnerId, k.revoked_at AS RevokedAt, k.last_used_at AS LastUsedAt,
                p.disabled_at AS PartnerDisabledAt
            FROM api_keys k JOIN partners p ON p.partner_id = k.partner_id
            WHERE k.key_hash = @KeyHash
            """,
            new { KeyHash = keyHash },
            cancellationToken: cancellationToken));
        return row is null
            ? null
            : new ApiKeyMatch(row.KeyId, row.PartnerId, StoreTime.At(row.RevokedAt), StoreTime.At(row.LastUsedAt), StoreTime.At(row.PartnerDisabledAt));
    }

    public async Task TouchApiKeyAsync(string keyId, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET last_used_at = @At WHERE key_id = @KeyId AND (last_used_at IS NULL OR last_used_at < @StaleBefore)",
            new { KeyId = keyId, At = now.ToUnixTimeMilliseconds(), StaleBefore = staleBefore.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }








    public async Task<SigningSecrets?> GetSigningSecretsAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        await EnsureSigningSecretAsync(transaction, partnerId, cancellationToken);
        var row = await transaction.Connection.QuerySingleOrDefaultAsync<SecretRow>(transaction.Command(
            """
            SELECT signing_secret AS Secret, previous_signing_secret AS PreviousSecret, previous_signing_secret_expires_at AS PreviousExpiresAt
            FROM partners WHERE partner_id = @PartnerId
            """,
            new { PartnerId = partnerId },
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return row?.ToSecrets();
    }

    public async Task<SigningSecrets?> RotateSigningSecretAsync(string partnerId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var row = await transaction.Connection.QuerySingleOrDefaultAsync<SecretRow>(transaction.Command(
            $"""
            SELECT signing_secret AS Secret, previous_signing_secret AS PreviousSecret, previous_signing_secret_expires_at AS PreviousExpiresAt
            FROM partners WHERE partner_id = @PartnerId{transaction.Dialect.ForUpdate}
            """,
            new { PartnerId = partnerId },
            cancellationToken));
        if (row is null)
        {
            return null;
        }

        // A partner without a secret yet simply gets its first one: there is nothing to keep signing with.
        var rotated = row.ToSecrets() is { } current
            ? current.Rotate(newSecret, now, webhooks.Value.SecretRotationOverlap)
            : new SigningSecrets(newSecret ?? WebhookSecret.Generate(), null, null);
        if (!WebhookSecret.IsValid(rotated.Current))
        {
            throw new ArgumentException("Not a whsec_ secret of 24 to 64 bytes.", nameof(newSecret));
        }

        await transaction.Connection.ExecuteAsync(transaction.Command(
            """
            UPDATE partners SET signing_secret = @Current, previous_signing_secret = @Previous, previous_signing_secret_expires_at = @Expires
            WHERE partner_id = @PartnerId
            """,
            new { PartnerId = partnerId, rotated.Current, rotated.Previous, Expires = rotated.PreviousExpiresAt?.ToUnixTimeMilliseconds() },
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rotated;
    }

    public Task EnsureSigningSecretAsync(StoreTransaction transaction, string partnerId, CancellationToken cancellationToken) =>
        transaction.Connection.ExecuteAsync(transaction.Command(
            "UPDATE partners SET signing_secret = @Secret WHERE partner_id = @PartnerId AND signing_secret IS NULL",
            new { PartnerId = partnerId, Secret = WebhookSecret.Generate() },
            cancellationToken));

    private sealed class PartnerRow
    {
        public string PartnerId { get; init; } = "";

        public string Name { get; init; } = "";

        public long CreatedAt { get; init; }

        public long? DisabledAt { get; init; }

        public PartnerRecord ToRecord() => new(PartnerId, Name, StoreTime.At(CreatedAt), StoreTime.At(DisabledAt));
    }

    private sealed class KeyRow
    {
        public string KeyId { get; init; } = "";

        public string PartnerId { get; init; } = "";

        public string Prefix { get; init; } = "";

        public string? Name { get; init; }

        public long CreatedAt { get; init; }

        public long? LastUsedAt { get; init; }

        public long? RevokedAt { get; init; }

        public ApiKeyRecord ToRecord() => new(KeyId, PartnerId, Prefix, Name, StoreTime.At(CreatedAt), StoreTime.At(LastUsedAt), StoreTime.At(RevokedAt));
    }

    private sealed class KeyMatchRow
    {
        public string KeyId { get; init; } = "";

        public string PartnerId { get; init; } = "";

        public long? RevokedAt { get; init; }

        public long? LastUsedAt { get; init; }

        public long? PartnerDisabledAt { get; init; }
    }

    private sealed class SecretRow
    {
        public string? Secret { get; init; }

        public string? PreviousSecret { get; init; }

        public long? PreviousExpiresAt { get; init; }

        public SigningSecrets? ToSecrets() => Secret is null ? null : new(Secret, PreviousSecret, StoreTime.At(PreviousExpiresAt));
    }
}
