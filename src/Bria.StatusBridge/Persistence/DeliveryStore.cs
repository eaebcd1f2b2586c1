using System.Data.Common;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Webhook messages and their attempts (<c>webhook_deliveries</c>, <c>webhook_attempts</c>): the only writer of
/// both tables, from queueing to claiming, recording, listing and replaying.</summary>
internal sealed partial class DeliveryStore(IDbConnectionFactory connections) : IDeliveryStore
{
    private const string Pending = nameof(DeliveryState.Pending);

    // Endpoint deliveries belong to the endpoint's partner; per-request webhook deliveries carry their partner.
    private const string DeliveryFrom = """
        FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id
        """;


    private const string DeliveryColumns = """
        d.delivery_id AS DeliveryId, d.endpoint_id AS EndpointId, d.url AS Url, d.request_id AS RequestId, d.event_type AS EventType,
        d.state AS State, d.attempts AS Attempts, d.next_attempt_at AS NextAttemptAt, d.created_at AS CreatedAt,
        d.delivered_at AS DeliveredAt, d.last_status AS LastStatus, d.last_error AS LastError
        """;


    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(
        string owner, int maxCount, int maxPerDestination, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (maxCount <= 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var skipLocked = connections.Dialect.SkipLocked;
        // Round-robin: the first due delivery of every destination, then the second, and so on; a destination
        // already at its limit of leased (in-flight) deliveries gets none, so one slow receiver holds only its own slots.
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            WITH busy AS (
                SELECT destination, COUNT(*) AS n FROM webhook_deliveries
                WHERE state = 'Pending' AND lease_until >= @Now
                GROUP BY destination),
            due AS (
                SELECT d.delivery_id, d.destination, d.next_attempt_at,
                    ROW_NUMBER() OVER (PARTITION BY d.destination ORDER BY d.next_attempt_at, d.delivery_id) AS rn
                FROM webhook_deliveries d
                LEFT JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id
                WHERE d.state = 'Pending' AND d.next_attempt_at <= @Now AND (d.lease_until IS NULL OR d.lease_until < @Now)
                    AND e.disabled_at IS NULL),
            picked AS (
                SELECT due.delivery_id FROM due LEFT JOIN busy ON busy.destination = due.destination
                WHERE due.rn + COALESCE(busy.n, 0) <= @PerDestination
                ORDER BY due.rn, due.next_attempt_at, due.delivery_id
                LIMIT @Limit)
            UPDATE webhook_deliveries SET lease_owner = @Owner, lease_until = @LeaseUntil
            WHERE delivery_id IN (
                SELECT delivery_id FROM webhook_deliveries
                WHERE delivery_id IN (SELECT delivery_id FROM picked)
                    AND state = 'Pending' AND (lease_until IS NULL OR lease_until < @Now){skipLocked})
            RETURNING delivery_id
            """,
            new
            {
                Owner = owner,
                LeaseUntil = (now + lease).ToUnixTimeMilliseconds(),
                Now = now.ToUnixTimeMilliseconds(),
                PerDestination = maxPerDestination,
                Limit = maxCount,
            },
            transaction,
            cancellationToken: cancellationToken))).ToList();
        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }

        var rows = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(
            $"""
            SELECT d.delivery_id AS DeliveryId, d.endpoint_id AS EndpointId, d.partner_id AS PartnerId,
                COALESCE(e.url, d.url) AS Url, d.destination AS Destination, d.request_id AS RequestId,
                d.event_type AS EventType, d.payload AS Payload, d.attempts AS Attempts, d.max_attempts AS MaxAttempts,
                d.next_attempt_at AS DueAt,
                COALESCE(e.secret, p.signing_secret) AS Secret,
                COALESCE(e.previous_secret, p.previous_signing_secret) AS PreviousSecret,
                COALESCE(e.previous_secret_expires_at, p.previous_signing_secret_expires_at) AS PreviousExpiresAt,
                r.trace_parent AS TraceParent,
                CASE WHEN d.delivered_at IS NULL AND d.created_at <= r.noticed_at THEN r.noticed_at END AS NoticedAt
            FROM webhook_deliveries d
            LEFT JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id
            LEFT JOIN partners p ON d.endpoint_id IS NULL AND p.partner_id = d.partner_id
            LEFT JOIN tracked_requests r ON r.request_id = d.request_id
            WHERE {InIds("d.delivery_id")}
            """,
            new { Ids = ids.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.DueAt).Select(r => r.ToClaimed())];
    }

    public async Task<int?> RecordAttemptAsync(
        StoreTransaction transaction, string owner, ClaimedDelivery delivery, AttemptResult attempt, DeliveryDecision decision, CancellationToken cancellationToken)
    {
        var at = attempt.AttemptedAt.ToUnixTimeMilliseconds();
        var state = decision.Kind switch
        {
            DeliveryDecisionKind.Delivered => nameof(DeliveryState.Delivered),
            DeliveryDecisionKind.Retry => Pending,
            _ => nameof(DeliveryState.Failed),
        };
        var error = StoredText.Error(attempt.Error);
        var attempts = await transaction.Connection.QuerySingleOrDefaultAsync<int?>(transaction.Command(
            """
            UPDATE webhook_deliveries SET state = @State, attempts = attempts + 1, next_attempt_at = @NextAttemptAt,
                lease_owner = NULL, lease_until = NULL, last_status = @Status, last_error = @Error,
                delivered_at = CASE WHEN @Delivered = 1 THEN @At ELSE delivered_at END
            WHERE delivery_id = @DeliveryId AND lease_owner = @Owner AND state = 'Pending'
            RETURNING attempts
            """,
            new
            {
                delivery.DeliveryId,
                Owner = owner,
                State = state,
                NextAttemptAt = decision.NextAttemptAt?.ToUnixTimeMilliseconds(),
                Status = attempt.StatusCode,
                Error = error,
                Delivered = decision.Kind == DeliveryDecisionKind.Delivered ? 1 : 0,
                At = at,
            },
            cancellationToken));

        // The attempt happened even when the lease was lost meanwhile: it is recorded either way.
        await transaction.Connection.ExecuteAsync(transaction.Command(
            """
            INSERT INTO webhook_attempts (attempt_id, delivery_id, attempt, attempted_at, status_code, latency_ms, response_body, error)
            VALUES (@AttemptId, @DeliveryId, @Attempt, @At, @Status, @LatencyMs, @Body, @Error)
            """,
            new
            {
                AttemptId = "att_" + Guid.CreateVersion7(attempt.AttemptedAt).ToString("N"),
                delivery.DeliveryId,
                Attempt = attempts ?? delivery.Attempts + 1,
                At = at,
                Status = attempt.StatusCode,
                LatencyMs = (int)Math.Min(int.MaxValue, Math.Max(0, attempt.Latency.TotalMilliseconds)),
                Body = attempt.ResponseBody,
                Error = error,
            },
            cancellationToken));
        return attempts;
    }

    public Task FailPendingAsync(StoreTransaction transaction, string endpointId, string error, CancellationToken cancellationToken) =>
        transaction.Connection.ExecuteAsync(transaction.Command(
            """
            UPDATE webhook_deliveries SET state = 'Failed', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL,
                last_error = @Error
            WHERE endpoint_id = @EndpointId AND state = 'Pending'
            """,
            new { EndpointId = endpointId, Error = error },
            cancellationToken));

    public Task<int> InsertAsync(StoreTransaction transaction, IReadOnlyCollection<NewDelivery> deliveries, long at, CancellationToken cancellationToken) =>
        deliveries.Count == 0
            ? Task.FromResult(0)
            : transaction.Connection.ExecuteAsync(transaction.Command(
                """
                INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, url, destination, request_id, subscriber_id,
                    event_type, payload, state, attempts, next_attempt_at, created_at)
                VALUES (@DeliveryId, @EndpointId, @PartnerId, @Url, @Destination, @RequestId, @SubscriberId,
                    @EventType, @Payload, 'Pending', 0, @At, @At)
                ON CONFLICT (delivery_id) DO NOTHING
                """,
                deliveries.Select(d => new
                {
                    d.DeliveryId,
                    d.EndpointId,
                    d.PartnerId,
                    d.Url,
                    d.Destination,
                    d.RequestId,
                    d.SubscriberId,
                    d.EventType,
                    d.Payload,
                    At = at,
                }),
                cancellationToken));

    public async Task<DeliveryRecord> EnqueueDeliveryAsync(string partnerId, EndpointRecord endpoint, string eventType, string? requestId, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var delivery = new DeliveryRecord(Ids.New(Ids.Message), endpoint.EndpointId, endpoint.Url, requestId, eventType, Pending, 0, now, now, null, null, null, payload);
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        await InsertAsync(
            transaction,
            [new NewDelivery(delivery.DeliveryId, endpoint.EndpointId, partnerId, endpoint.Url.ToString(), WebhookDeliveryId.EndpointDestination(endpoint.EndpointId), requestId, null, eventType, payload)],
            now.ToUnixTimeMilliseconds(),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return delivery;
    }

    public async Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND state = 'Pending'",
            new { Owner = owner },
            cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> NextDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // A leased delivery becomes claimable again when its lease runs out (a dead replica's, or one in flight).
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT MIN(CASE WHEN d.lease_until IS NOT NULL AND d.lease_until > d.next_attempt_at THEN d.lease_until ELSE d.next_attempt_at END)
            FROM webhook_deliveries d
            LEFT JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id
            WHERE d.state = 'Pending' AND e.disabled_at IS NULL
            """,
            cancellationToken: cancellationToken));
        return next is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(next.Value);
    }

    public async Task<long> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Counted on the partial index of pending deliveries.
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Pending'",
            cancellationToken: cancellationToken));
    }

    public async Task<RetryOutcome> RetryAsync(string? partnerId, string deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var retried = await connection.QuerySingleOrDefaultAsync<RetriedRow>(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET
                max_attempts = CASE WHEN state = 'Pending' THEN max_attempts ELSE attempts + 1 END,
                state = 'Pending', next_attempt_at = @Now
            WHERE delivery_id = @DeliveryId AND (@PartnerId IS NULL OR partner_id = @PartnerId)
            RETURNING 1 AS Found, endpoint_id AS EndpointId
            """,
            new { DeliveryId = deliveryId, PartnerId = partnerId, Now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        if (retried is null)
        {
            return RetryOutcome.NotFound;
        }

        if (retried.EndpointId is null)
        {
            return RetryOutcome.Scheduled;
        }

        var disabled = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT disabled_at FROM webhook_endpoints WHERE endpoint_id = @EndpointId",
            new { retried.EndpointId },
            cancellationToken: cancellationToken));
        return disabled is null ? RetryOutcome.Scheduled : RetryOutcome.ScheduledEndpointDisabled;
    }

    public async Task<int> RecoverFailedAsync(string? partnerId, string? endpointId, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET state = 'Pending', next_attempt_at = @Now, max_attempts = attempts + 1
            WHERE state = 'Failed' AND created_at >= @Since
                AND (@PartnerId IS NULL OR partner_id = @PartnerId)
                AND (@EndpointId IS NULL OR endpoint_id = @EndpointId)
            """,
            new { PartnerId = partnerId, EndpointId = endpointId, Since = since.ToUnixTimeMilliseconds(), Now = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
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

    private string InIds(string column) => connections.Dialect.InIds(column);

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
            StoreTime.At(NextAttemptAt),
            StoreTime.At(CreatedAt),
            StoreTime.At(DeliveredAt),
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

        public AttemptRecord ToRecord() => new(AttemptId, Attempt, StoreTime.At(AttemptedAt), StatusCode, LatencyMs, ResponseBody, Error);
    }


    private sealed class RetriedRow
    {
        public int Found { get; init; }

        public string? EndpointId { get; init; }
    }

    private sealed class ClaimedRow
    {
        public string DeliveryId { get; init; } = "";

        public string? EndpointId { get; init; }

        public string? PartnerId { get; init; }

        public string Url { get; init; } = "";

        public string Destination { get; init; } = "";

        public string? RequestId { get; init; }

        public string EventType { get; init; } = "";

        public string Payload { get; init; } = "";

        public int Attempts { get; init; }

        public int? MaxAttempts { get; init; }

        public long DueAt { get; init; }

        public string? Secret { get; init; }

        public string? PreviousSecret { get; init; }

        public long? PreviousExpiresAt { get; init; }

        public string? TraceParent { get; init; }

        public long? NoticedAt { get; init; }

        public ClaimedDelivery ToClaimed() => new(
            DeliveryId,
            EndpointId,
            PartnerId,
            new Uri(Url),
            Destination,
            RequestId,
            EventType,
            Payload,
            Attempts,
            MaxAttempts,
            Secret is null
                ? null
                : new SigningSecrets(Secret, PreviousSecret, StoreTime.At(PreviousExpiresAt)),
            TraceParent,
            StoreTime.At(NoticedAt));
    }
}
