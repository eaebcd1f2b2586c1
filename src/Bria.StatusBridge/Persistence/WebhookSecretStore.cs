using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Persistence;

internal sealed class WebhookSecretStore(IDbConnectionFactory connections, IOptions<WebhookOptions> options) : IWebhookSecretStore
{
    private string ForUpdate => connections.Dialect.ForUpdate;

    public async Task<SigningSecrets?> RotateEndpointSecretAsync(string partnerId, string endpointId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SecretRow>(new CommandDefinition(
            $"""
            SELECT secret AS Secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousExpiresAt
            FROM webhook_endpoints WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId{ForUpdate}
            """,
            new { EndpointId = endpointId, PartnerId = partnerId },
            transaction,
            cancellationToken: cancellationToken));
        if (row?.Secret is null)
        {
            return null;
        }

        var rotated = row.ToSecrets(row.Secret).Rotate(newSecret, now, options.Value.SecretRotationOverlap);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_endpoints SET secret = @Current, previous_secret = @Previous, previous_secret_expires_at = @Expires, updated_at = @At
            WHERE endpoint_id = @EndpointId
            """,
            new
            {
                EndpointId = endpointId,
                rotated.Current,
                rotated.Previous,
                Expires = rotated.PreviousExpiresAt?.ToUnixTimeMilliseconds(),
                At = now.ToUnixTimeMilliseconds(),
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rotated;
    }

    public async Task<SigningSecrets?> GetPartnerSecretsAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE partners SET signing_secret = @Secret WHERE partner_id = @PartnerId AND signing_secret IS NULL",
            new { PartnerId = partnerId, Secret = WebhookSecret.Generate() },
            cancellationToken: cancellationToken));
        var row = await connection.QuerySingleOrDefaultAsync<SecretRow>(new CommandDefinition(
            """
            SELECT signing_secret AS Secret, previous_signing_secret AS PreviousSecret, previous_signing_secret_expires_at AS PreviousExpiresAt
            FROM partners WHERE partner_id = @PartnerId
            """,
            new { PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return row?.Secret is null ? null : row.ToSecrets(row.Secret);
    }

    public async Task<SigningSecrets?> RotatePartnerSecretAsync(string partnerId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SecretRow>(new CommandDefinition(
            $"""
            SELECT signing_secret AS Secret, previous_signing_secret AS PreviousSecret, previous_signing_secret_expires_at AS PreviousExpiresAt
            FROM partners WHERE partner_id = @PartnerId{ForUpdate}
            """,
            new { PartnerId = partnerId },
            transaction,
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        // A partner without a secret yet simply gets its first one: there is nothing to keep signing with.
        var rotated = row.Secret is null
            ? new SigningSecrets(newSecret ?? WebhookSecret.Generate(), null, null)
            : row.ToSecrets(row.Secret).Rotate(newSecret, now, options.Value.SecretRotationOverlap);
        if (!WebhookSecret.IsValid(rotated.Current))
        {
            throw new ArgumentException("Not a whsec_ secret of 24 to 64 bytes.", nameof(newSecret));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE partners SET signing_secret = @Current, previous_signing_secret = @Previous, previous_signing_secret_expires_at = @Expires
            WHERE partner_id = @PartnerId
            """,
            new { PartnerId = partnerId, rotated.Current, rotated.Previous, Expires = rotated.PreviousExpiresAt?.ToUnixTimeMilliseconds() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rotated;
    }

    private sealed class SecretRow
    {
        public string? Secret { get; init; }

        public string? PreviousSecret { get; init; }

        public long? PreviousExpiresAt { get; init; }

        public SigningSecrets ToSecrets(string current) => new(
            current,
            PreviousSecret,
            PreviousExpiresAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(PreviousExpiresAt.Value));
    }
}
