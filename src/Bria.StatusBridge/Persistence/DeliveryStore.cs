using System.Data.Common;
using System.Globalization;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Webhook deliveries over PostgreSQL or SQLite: the same statements, except PostgreSQL's
/// <c>FOR UPDATE SKIP LOCKED</c> when replicas claim.</summary>
internal sealed class DeliveryStore(IDbConnectionFactory connections) : IDeliveryStore
{
    private const int MaxErrorLength = 2000;
    private const string Pending = nameof(DeliveryState.Pending);

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
                CASE WHEN d.delivered_at IS NULL THEN r.noticed_at END AS NoticedAt
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

    public async Task<AttemptRecorded> RecordAttemptAsync(
        string owner, ClaimedDelivery delivery, AttemptResult attempt, DeliveryDecision decision, TimeSpan disableAfter, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = attempt.AttemptedAt.ToUnixTimeMilliseconds();
        var state = decision.Kind switch
        {
            DeliveryDecisionKind.Delivered => nameof(DeliveryState.Delivered),
            DeliveryDecisionKind.Retry => Pending,
            _ => nameof(DeliveryState.Failed),
        };
        var error = Truncate(attempt.Error);
        var attempts = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
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
            transaction,
            cancellationToken: cancellationToken));

        // The attempt happened even when the lease was lost meanwhile: it is recorded either way.
        await connection.ExecuteAsync(new CommandDefinition(
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
            transaction,
            cancellationToken: cancellationToken));

        if (attempts is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return new AttemptRecorded(false, false, false);
        }

        var disabled = false;
        if (delivery.EndpointId is { } endpointId)
        {
            disabled = await UpdateEndpointAsync(connection, transaction, endpointId, attempt, decision, disableAfter, at, cancellationToken);
        }

        var exhausted = decision.Kind == DeliveryDecisionKind.Exhausted;
        if (exhausted)
        {
            await InsertOperatorEventAsync(
                connection,
                transaction,
                DeterministicId.Create("delivery-exhausted", delivery.DeliveryId, attempts.Value.ToString(CultureInfo.InvariantCulture)),
                new WebhookDeliveryExhausted
                {
                    DeliveryId = delivery.DeliveryId,
                    EndpointId = delivery.EndpointId,
                    PartnerId = delivery.PartnerId,
                    Url = delivery.Url,
                    RequestId = delivery.RequestId,
                    EventType = delivery.EventType,
                    Attempts = attempts.Value,
                    LastStatusCode = attempt.StatusCode,
                    LastError = error,
                    ExhaustedAt = attempt.AttemptedAt,
                },
                at,
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AttemptRecorded(true, disabled, exhausted || decision.Kind == DeliveryDecisionKind.Gone);
    }

    public async Task ReleaseAsync(string owner, IReadOnlyCollection<string> deliveryIds, CancellationToken cancellationToken)
    {
        if (deliveryIds.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND state = 'Pending' AND {InIds("delivery_id")}",
            new { Owner = owner, Ids = deliveryIds.ToArray() },
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

    private const string SummaryColumns =
        """
        delivery_id AS DeliveryId, endpoint_id AS EndpointId, partner_id AS PartnerId, url AS Url, request_id AS RequestId,
        subscriber_id AS SubscriberId, event_type AS EventType, state AS State, attempts AS Attempts,
        next_attempt_at AS NextAttemptAt, created_at AS CreatedAt, delivered_at AS DeliveredAt,
        last_status AS LastStatus, last_error AS LastError
        """;

    /// <summary>Failing since the first failure of an unbroken run; a success ends the run. Disables the endpoint on
    /// 410 or when the run has lasted <paramref name="disableAfter"/>. Returns whether it disabled it.</summary>
    private static async Task<bool> UpdateEndpointAsync(
        DbConnection connection,
        DbTransaction transaction,
        string endpointId,
        AttemptResult attempt,
        DeliveryDecision decision,
        TimeSpan disableAfter,
        long at,
        CancellationToken cancellationToken)
    {
        if (decision.Kind == DeliveryDecisionKind.Delivered)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE webhook_endpoints SET failing_since = NULL WHERE endpoint_id = @EndpointId AND failing_since IS NOT NULL",
                new { EndpointId = endpointId },
                transaction,
                cancellationToken: cancellationToken));
            return false;
        }

        var endpoint = await connection.QuerySingleOrDefaultAsync<EndpointRow>(new CommandDefinition(
            """
            UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, @At)
            WHERE endpoint_id = @EndpointId AND disabled_at IS NULL
            RETURNING partner_id AS PartnerId, url AS Url, failing_since AS FailingSince
            """,
            new { EndpointId = endpointId, At = at },
            transaction,
            cancellationToken: cancellationToken));
        if (endpoint is null)
        {
            return false;
        }

        WebhookEndpointDisabledReason reason;
        if (decision.Kind == DeliveryDecisionKind.Gone)
        {
            reason = WebhookEndpointDisabledReason.Gone;
        }
        else if (at - endpoint.FailingSince >= (long)disableAfter.TotalMilliseconds)
        {
            reason = WebhookEndpointDisabledReason.FailingTooLong;
        }
        else
        {
            return false;
        }

        var reasonText = reason == WebhookEndpointDisabledReason.Gone
            ? "The endpoint answered 410 Gone."
            : $"Every attempt failed since {DateTimeOffset.FromUnixTimeMilliseconds(endpoint.FailingSince):O}.";
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_endpoints SET disabled_at = @At, disabled_reason = @Reason, updated_at = @At WHERE endpoint_id = @EndpointId",
            new { EndpointId = endpointId, At = at, Reason = reasonText },
            transaction,
            cancellationToken: cancellationToken));
        // Nothing more goes to a disabled endpoint; its messages can be recovered once it is enabled again.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_deliveries SET state = 'Failed', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL,
                last_error = @Error
            WHERE endpoint_id = @EndpointId AND state = 'Pending'
            """,
            new { EndpointId = endpointId, Error = "Not sent: the endpoint was disabled. " + reasonText },
            transaction,
            cancellationToken: cancellationToken));
        await InsertOperatorEventAsync(
            connection,
            transaction,
            DeterministicId.Create("endpoint-disabled", endpointId, at.ToString(CultureInfo.InvariantCulture)),
            new WebhookEndpointDisabled
            {
                EndpointId = endpointId,
                PartnerId = endpoint.PartnerId,
                Url = Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url) ? url : null,
                Reason = reason,
                LastStatusCode = attempt.StatusCode,
                LastError = Truncate(attempt.Error),
                FailingSince = DateTimeOffset.FromUnixTimeMilliseconds(endpoint.FailingSince),
                DisabledAt = attempt.AttemptedAt,
            },
            at,
            cancellationToken);
        return true;
    }

    private static Task<int> InsertOperatorEventAsync<T>(
        DbConnection connection, DbTransaction transaction, Guid messageId, T message, long at, CancellationToken cancellationToken)
        where T : class =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO operator_events (message_id, message_type, payload_json, created_at, next_attempt_at)
            VALUES (@MessageId, @MessageType, @Payload, @At, @At)
            ON CONFLICT (message_id) DO NOTHING
            """,
            new { MessageId = messageId.ToString(), MessageType = typeof(T).Name, Payload = StoreJson.Serialize(message), At = at },
            transaction,
            cancellationToken: cancellationToken));

    private static string? Truncate(string? text) => text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] : text;

    private string InIds(string column) => connections.Dialect.InIds(column);

    private sealed class RetriedRow
    {
        public int Found { get; init; }

        public string? EndpointId { get; init; }
    }

    private sealed class EndpointRow
    {
        public string PartnerId { get; init; } = "";

        public string Url { get; init; } = "";

        public long FailingSince { get; init; }
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
                : new SigningSecrets(Secret, PreviousSecret, PreviousExpiresAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(PreviousExpiresAt.Value)),
            TraceParent,
            Time(NoticedAt));
    }

    private static DateTimeOffset? Time(long? unixMilliseconds) =>
        unixMilliseconds is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds.Value);
}
