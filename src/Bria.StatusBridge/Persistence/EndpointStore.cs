using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Persistence;

/// <summary>Webhook endpoints (<c>webhook_endpoints</c>): the only writer of the table, from registration to
/// rotation, the failure run and disabling. Partner-facing statements always carry <c>partner_id = @PartnerId</c>.</summary>
internal sealed class EndpointStore(IDbConnectionFactory connections, IOptions<WebhookOptions> options) : IEndpointStore
{
    private const string EndpointColumns = """
        endpoint_id AS EndpointId, partner_id AS PartnerId, url AS Url, description AS Description, event_types AS EventTypes,
        secret AS Secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousSecretExpiresAt,
        disabled_at AS DisabledAt, disabled_reason AS DisabledReason, failing_since AS FailingSince,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;


    public async Task InsertEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, description, event_types, secret, created_at, updated_at)
            VALUES (@EndpointId, @PartnerId, @Url, @Description, @EventTypes, @Secret, @At, @At)
            """,
            new
            {
                endpoint.EndpointId,
                endpoint.PartnerId,
                Url = endpoint.Url.ToString(),
                endpoint.Description,
                EventTypes = string.Join(' ', endpoint.EventTypes),
                endpoint.Secret,
                At = endpoint.CreatedAt.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(string partnerId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EndpointRow>(new CommandDefinition(
            $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE partner_id = @PartnerId AND deleted_at IS NULL ORDER BY created_at, endpoint_id",
            new { PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<EndpointRecord?> GetEndpointAsync(string partnerId, string endpointId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EndpointRow>(new CommandDefinition(
            $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId AND deleted_at IS NULL",
            new { EndpointId = endpointId, PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<EndpointRecord?> UpdateEndpointAsync(string partnerId, string endpointId, EndpointChanges changes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sets = new List<string> { "updated_at = @At" };
        if (changes.Url is not null)
        {
            sets.Add("url = @Url");
        }

        if (changes.EventTypes is not null)
        {
            sets.Add("event_types = @EventTypes");
        }

        if (changes.Description is not null)
        {
            sets.Add("description = @Description");
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE webhook_endpoints SET {string.Join(", ", sets)} WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId AND deleted_at IS NULL",
            new
            {
                EndpointId = endpointId,
                PartnerId = partnerId,
                At = now.ToUnixTimeMilliseconds(),
                Url = changes.Url?.ToString(),
                EventTypes = changes.EventTypes is null ? null : string.Join(' ', changes.EventTypes),
                Description = changes.Description is { Length: 0 } ? null : changes.Description,
            },
            cancellationToken: cancellationToken));
        return await GetEndpointAsync(partnerId, endpointId, cancellationToken);
    }

    public async Task<EndpointRecord?> SetEndpointEnabledAsync(string partnerId, string endpointId, bool enabled, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var sql = enabled
            ? """
              UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, updated_at = @At
              WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId AND deleted_at IS NULL
              """
            : """
              UPDATE webhook_endpoints SET disabled_at = COALESCE(disabled_at, @At), disabled_reason = COALESCE(disabled_reason, 'Disabled by the partner'), updated_at = @At
              WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId AND deleted_at IS NULL
              """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { EndpointId = endpointId, PartnerId = partnerId, At = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return await GetEndpointAsync(partnerId, endpointId, cancellationToken);
    }

    public async Task<bool> DeleteEndpointAsync(StoreTransaction transaction, string partnerId, string endpointId, long at, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(transaction.Command(
            """
            UPDATE webhook_endpoints SET deleted_at = @At, disabled_at = COALESCE(disabled_at, @At), disabled_reason = 'Deleted', updated_at = @At
            WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId AND deleted_at IS NULL
            """,
            new { EndpointId = endpointId, PartnerId = partnerId, At = at },
            cancellationToken)) == 1;

    public async Task<SigningSecrets?> RotateEndpointSecretAsync(string partnerId, string endpointId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var row = await transaction.Connection.QuerySingleOrDefaultAsync<SecretRow>(transaction.Command(
            $"""
            SELECT secret AS Secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousExpiresAt
            FROM webhook_endpoints WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId{transaction.Dialect.ForUpdate}
            """,
            new { EndpointId = endpointId, PartnerId = partnerId },
            cancellationToken));
        if (row?.Secret is null)
        {
            return null;
        }

        var rotated = new SigningSecrets(row.Secret, row.PreviousSecret, StoreTime.At(row.PreviousExpiresAt))
            .Rotate(newSecret, now, options.Value.SecretRotationOverlap);
        await transaction.Connection.ExecuteAsync(transaction.Command(
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
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return rotated;
    }

    public async Task<IReadOnlyList<EndpointTarget>> ListEnabledAsync(StoreTransaction transaction, string partnerId, CancellationToken cancellationToken) =>
        [.. await transaction.Connection.QueryAsync<EndpointTarget>(transaction.Command(
            """
            SELECT endpoint_id AS EndpointId, url AS Url, event_types AS EventTypes FROM webhook_endpoints
            WHERE partner_id = @PartnerId AND disabled_at IS NULL
            ORDER BY endpoint_id
            """,
            new { PartnerId = partnerId },
            cancellationToken))];

    public Task ClearFailingAsync(StoreTransaction transaction, string endpointId, CancellationToken cancellationToken) =>
        transaction.Connection.ExecuteAsync(transaction.Command(
            "UPDATE webhook_endpoints SET failing_since = NULL WHERE endpoint_id = @EndpointId AND failing_since IS NOT NULL",
            new { EndpointId = endpointId },
            cancellationToken));

    public Task<FailingEndpoint?> MarkFailingAsync(StoreTransaction transaction, string endpointId, long at, CancellationToken cancellationToken) =>
        transaction.Connection.QuerySingleOrDefaultAsync<FailingEndpoint?>(transaction.Command(
            """
            UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, @At)
            WHERE endpoint_id = @EndpointId AND disabled_at IS NULL
            RETURNING partner_id AS PartnerId, url AS Url, failing_since AS FailingSince
            """,
            new { EndpointId = endpointId, At = at },
            cancellationToken));

    public Task DisableAsync(StoreTransaction transaction, string endpointId, string reason, long at, CancellationToken cancellationToken) =>
        transaction.Connection.ExecuteAsync(transaction.Command(
            "UPDATE webhook_endpoints SET disabled_at = @At, disabled_reason = @Reason, updated_at = @At WHERE endpoint_id = @EndpointId",
            new { EndpointId = endpointId, At = at, Reason = reason },
            cancellationToken));

    private sealed class EndpointRow
    {
        public string EndpointId { get; init; } = "";

        public string PartnerId { get; init; } = "";

        public string Url { get; init; } = "";

        public string? Description { get; init; }

        public string EventTypes { get; init; } = "";

        public string Secret { get; init; } = "";

        public string? PreviousSecret { get; init; }

        public long? PreviousSecretExpiresAt { get; init; }

        public long? DisabledAt { get; init; }

        public string? DisabledReason { get; init; }

        public long? FailingSince { get; init; }

        public long CreatedAt { get; init; }

        public long UpdatedAt { get; init; }

        public EndpointRecord ToRecord() => new(
            EndpointId,
            PartnerId,
            new Uri(Url),
            Description,
            EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Secret,
            PreviousSecret,
            StoreTime.At(PreviousSecretExpiresAt),
            StoreTime.At(DisabledAt),
            DisabledReason,
            StoreTime.At(FailingSince),
            StoreTime.At(CreatedAt),
            StoreTime.At(UpdatedAt));
    }


    private sealed class SecretRow
    {
        public string? Secret { get; init; }

        public string? PreviousSecret { get; init; }

        public long? PreviousExpiresAt { get; init; }
    }
}
