using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>The partner store over PostgreSQL or SQLite. Partner-facing statements always carry
/// <c>partner_id = @PartnerId</c>: another partner's rows are simply not found.</summary>
internal sealed class PartnerStore(IDbConnectionFactory connections) : IPartnerStore
{
    private const string EndpointColumns = """
        endpoint_id AS EndpointId, partner_id AS PartnerId, url AS Url, description AS Description, event_types AS EventTypes,
        secret AS Secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousSecretExpiresAt,
        disabled_at AS DisabledAt, disabled_reason AS DisabledReason, failing_since AS FailingSince,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    // Endpoint deliveries belong to the endpoint's partner; per-request webhook deliveries carry their partner.
    private const string DeliveryFrom = """
        FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id
        """;

    private const string DeliveryColumns = """
        d.delivery_id AS DeliveryId, d.endpoint_id AS EndpointId, d.url AS Url, d.request_id AS RequestId, d.event_type AS EventType,
        d.state AS State, d.attempts AS Attempts, d.next_attempt_at AS NextAttemptAt, d.created_at AS CreatedAt,
        d.delivered_at AS DeliveredAt, d.last_status AS LastStatus, d.last_error AS LastError
        """;

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
            : new ApiKeyMatch(row.KeyId, row.PartnerId, Time(row.RevokedAt), Time(row.LastUsedAt), Time(row.PartnerDisabledAt));
    }

    public async Task TouchApiKeyAsync(string keyId, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET last_used_at = @At WHERE key_id = @KeyId AND (last_used_at IS NULL OR last_used_at < @StaleBefore)",
            new { KeyId = keyId, At = now.ToUnixTimeMilliseconds(), StaleBefore = staleBefore.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

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

    public async Task<bool> DeleteEndpointAsync(string partnerId, string endpointId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_endpoints SET deleted_at = @At, disabled_at = COALESCE(disabled_at, @At), disabled_reason = 'Deleted', updated_at = @At
            WHERE endpoint_id = @EndpointId AND partner_id = @PartnerId AND deleted_at IS NULL
            """,
            new { EndpointId = endpointId, PartnerId = partnerId, At = at },
            transaction,
            cancellationToken: cancellationToken)) == 1;
        if (deleted)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE webhook_deliveries SET state = 'Failed', next_attempt_at = NULL, last_error = 'The endpoint was deleted.'
                WHERE endpoint_id = @EndpointId AND state = 'Pending'
                """,
                new { EndpointId = endpointId },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string partnerId, string endpointId, DeliveryFilter query, CancellationToken cancellationToken)
    {
        var conditions = new List<string> { "d.endpoint_id = @EndpointId", "e.partner_id = @PartnerId" };
        if (query.State is not null)
        {
            conditions.Add("d.state = @State");
        }

        if (query.EventType is not null)
        {
            conditions.Add("d.event_type = @EventType");
        }

        if (query.Since is not null)
        {
            conditions.Add("d.created_at >= @Since");
        }

        if (query.Until is not null)
        {
            conditions.Add("d.created_at < @Until");
        }

        if (query.After is not null)
        {
            conditions.Add("(d.created_at < @AfterAt OR (d.created_at = @AfterAt AND d.delivery_id < @AfterId))");
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {DeliveryColumns}
            {DeliveryFrom}
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY d.created_at DESC, d.delivery_id DESC
            LIMIT @Limit
            """,
            new
            {
                EndpointId = endpointId,
                PartnerId = partnerId,
                query.State,
                query.EventType,
                Since = query.Since?.ToUnixTimeMilliseconds(),
                Until = query.Until?.ToUnixTimeMilliseconds(),
                AfterAt = query.After?.CreatedAt,
                AfterId = query.After?.DeliveryId,
                Limit = query.Limit + 1,
            },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<DeliveryRecord?> GetDeliveryAsync(string partnerId, string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {DeliveryColumns}, d.payload AS Payload
            {DeliveryFrom}
            WHERE d.delivery_id = @DeliveryId AND COALESCE(e.partner_id, d.partner_id) = @PartnerId
            """,
            new { DeliveryId = deliveryId, PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<AttemptRecord>> ListAttemptsAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            """
            SELECT attempt_id AS AttemptId, attempt AS Attempt, attempted_at AS AttemptedAt, status_code AS StatusCode,
                latency_ms AS LatencyMs, response_body AS ResponseBody, error AS Error
            FROM webhook_attempts WHERE delivery_id = @DeliveryId ORDER BY attempt, attempted_at
            """,
            new { DeliveryId = deliveryId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<IReadOnlyList<DeliveryRecord>> ListRequestDeliveriesAsync(string partnerId, string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {DeliveryColumns}
            {DeliveryFrom}
            WHERE d.request_id = @RequestId AND COALESCE(e.partner_id, d.partner_id) = @PartnerId
            ORDER BY d.created_at, d.delivery_id
            """,
            new { RequestId = requestId, PartnerId = partnerId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<DeliveryRecord> EnqueueDeliveryAsync(string partnerId, EndpointRecord endpoint, string eventType, string? requestId, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var delivery = new DeliveryRecord(Ids.New(Ids.Message), endpoint.EndpointId, endpoint.Url, requestId, eventType, "Pending", 0, now, now, null, null, null, payload);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, url, destination, request_id, event_type, payload, state, attempts, next_attempt_at, created_at)
            VALUES (@DeliveryId, @EndpointId, @PartnerId, @Url, @Destination, @RequestId, @EventType, @Payload, 'Pending', 0, @At, @At)
            """,
            new
            {
                delivery.DeliveryId,
                delivery.EndpointId,
                PartnerId = partnerId,
                Url = endpoint.Url.ToString(),
                Destination = WebhookDeliveryId.EndpointDestination(endpoint.EndpointId),
                RequestId = requestId,
                EventType = eventType,
                Payload = payload,
                At = now.ToUnixTimeMilliseconds(),
            },
            cancellationToken: cancellationToken));
        return delivery;
    }

    private static DateTimeOffset? Time(long? unixMilliseconds) =>
        unixMilliseconds is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds.Value);

    private sealed class PartnerRow
    {
        public string PartnerId { get; init; } = "";

        public string Name { get; init; } = "";

        public long CreatedAt { get; init; }

        public long? DisabledAt { get; init; }

        public PartnerRecord ToRecord() => new(PartnerId, Name, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), Time(DisabledAt));
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

        public ApiKeyRecord ToRecord() => new(KeyId, PartnerId, Prefix, Name, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), Time(LastUsedAt), Time(RevokedAt));
    }

    private sealed class KeyMatchRow
    {
        public string KeyId { get; init; } = "";

        public string PartnerId { get; init; } = "";

        public long? RevokedAt { get; init; }

        public long? LastUsedAt { get; init; }

        public long? PartnerDisabledAt { get; init; }
    }

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
            Time(PreviousSecretExpiresAt),
            Time(DisabledAt),
            DisabledReason,
            Time(FailingSince),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(UpdatedAt));
    }

    private sealed class DeliveryRow
    {
        public string DeliveryId { get; init; } = "";

        public string? EndpointId { get; init; }

        public string Url { get; init; } = "";

        public string? RequestId { get; init; }

        public string EventType { get; init; } = "";

        public string State { get; init; } = "";

        public int Attempts { get; init; }

        public long? NextAttemptAt { get; init; }

        public long CreatedAt { get; init; }

        public long? DeliveredAt { get; init; }

        public int? LastStatus { get; init; }

        public string? LastError { get; init; }

        public string? Payload { get; init; }

        public DeliveryRecord ToRecord() => new(
            DeliveryId,
            EndpointId,
            new Uri(Url),
            RequestId,
            EventType,
            State,
            Attempts,
            Time(NextAttemptAt),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            Time(DeliveredAt),
            LastStatus,
            LastError,
            Payload);
    }

    private sealed class AttemptRow
    {
        public string AttemptId { get; init; } = "";

        public int Attempt { get; init; }

        public long AttemptedAt { get; init; }

        public int? StatusCode { get; init; }

        public int LatencyMs { get; init; }

        public string? ResponseBody { get; init; }

        public string? Error { get; init; }

        public AttemptRecord ToRecord() => new(AttemptId, Attempt, DateTimeOffset.FromUnixTimeMilliseconds(AttemptedAt), StatusCode, LatencyMs, ResponseBody, Error);
    }
}
