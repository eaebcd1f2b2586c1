using System.Data.Common;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Tracking;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>The tracking store over PostgreSQL or SQLite: one schema, the same statements except where the
/// providers lock differently (PostgreSQL row locks and <c>SKIP LOCKED</c>; SQLite's single writer).</summary>
internal sealed class TrackingStore(IDbConnectionFactory connections) : ITrackingStore
{
    private const string Tracking = nameof(TrackingState.Tracking);

    private static readonly JsonColumn[] RescheduleColumns =
    [
        new("request_id", "text"), new("next_poll_at", "bigint"), new("polls", "integer"), new("consecutive_unknown", "integer"),
        new("consecutive_transient", "integer"), new("first_not_found_at", "bigint"), new("observed_at", "bigint"),
        new("observation", "text"), new("http_status", "integer"),
    ];

    private SqlDialect Dialect => connections.Dialect;

    private string ForUpdate => Dialect.ForUpdate;

    public async Task<TrackResult> TrackAsync(TrackingCommand command, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tracked_requests (request_id, endpoint_kind, state, status_url, created_at, updated_at, deadline, next_poll_at, trace_parent)
            VALUES (@RequestId, @Kind, @State, @StatusUrl, @At, @At, @Deadline, @NextPollAt, @TraceParent)
            ON CONFLICT (request_id) DO NOTHING
            """,
            new
            {
                command.RequestId,
                Kind = command.Kind.ToString(),
                State = Tracking,
                StatusUrl = command.StatusUrl?.ToString(),
                At = at,
                Deadline = command.Deadline.ToUnixTimeMilliseconds(),
                NextPollAt = Math.Min(firstPollAt.ToUnixTimeMilliseconds(), command.Deadline.ToUnixTimeMilliseconds()),
                command.TraceParent,
            },
            transaction,
            cancellationToken: cancellationToken)) == 1;

        // Lock the request row: a poll that is ending the request right now either commits first (and this
        // subscriber is notified from the stored outcome) or sees this subscriber when it lists them.
        var state = Enum.Parse<TrackingState>(await connection.QuerySingleAsync<string>(new CommandDefinition(
            $"SELECT state FROM tracked_requests WHERE request_id = @RequestId{ForUpdate}",
            new { command.RequestId },
            transaction,
            cancellationToken: cancellationToken)));

        if (!inserted && state == TrackingState.Tracking)
        {
            // A later subscriber with a later deadline keeps the loop going for it.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE tracked_requests SET deadline = @Deadline, updated_at = @At
                WHERE request_id = @RequestId AND deadline < @Deadline
                """,
                new { command.RequestId, Deadline = command.Deadline.ToUnixTimeMilliseconds(), At = at },
                transaction,
                cancellationToken: cancellationToken));
        }

        var subscriberId = command.SubscriberId;
        var newSubscriber = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscribers (subscriber_id, request_id, correlation_id, partner_id, webhook_url, metadata_json, created_at)
            VALUES (@SubscriberId, @RequestId, @CorrelationId, @PartnerId, @WebhookUrl, @Metadata, @At)
            ON CONFLICT (subscriber_id) DO NOTHING
            """,
            new
            {
                SubscriberId = subscriberId,
                command.RequestId,
                command.CorrelationId,
                command.PartnerId,
                WebhookUrl = command.WebhookUrl?.ToString(),
                Metadata = StoreJson.Serialize(command.Metadata),
                At = at,
            },
            transaction,
            cancellationToken: cancellationToken)) == 1;

        if (newSubscriber && state != TrackingState.Tracking)
        {
            await InsertOutboxAsync(connection, transaction, command.RequestId, state, [subscriberId], at, cancellationToken);
            await WebhookDeliveryWriter.WriteFromStoredOutcomeAsync(connection, transaction, command.RequestId, subscriberId, at, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new TrackResult(inserted, newSubscriber, state, subscriberId);
    }

    public async Task<ClaimResult> ClaimDueAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, BudgetPolicy budget, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();

        // The budget row is the replicas' meeting point: holding it while claiming keeps the shared count exact.
        var bucket = await connection.QuerySingleAsync<BudgetRow>(new CommandDefinition(
            $"SELECT tokens AS Tokens, refilled_at AS RefilledAt, paused_until AS PausedUntil FROM upstream_budget WHERE id = 1{ForUpdate}",
            transaction: transaction,
            cancellationToken: cancellationToken));

        if (bucket.PausedUntil > at)
        {
            await transaction.CommitAsync(cancellationToken);
            return new ClaimResult([], true, DateTimeOffset.FromUnixTimeMilliseconds(bucket.PausedUntil));
        }

        var elapsed = Math.Max(0, at - bucket.RefilledAt);
        var tokens = Math.Min(budget.Capacity, bucket.Tokens + (elapsed * budget.TokensPerMillisecond));
        var grant = (int)Math.Min(maxCount, Math.Floor(tokens));

        IReadOnlyList<ClaimedRow> rows = [];
        if (grant > 0)
        {
            var sql = $"""
                UPDATE tracked_requests SET lease_owner = @Owner, lease_until = @LeaseUntil
                WHERE request_id IN (
                    SELECT request_id FROM tracked_requests
                    WHERE state = 'Tracking' AND next_poll_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                    ORDER BY next_poll_at
                    LIMIT @Limit{Dialect.SkipLocked})
                RETURNING request_id AS RequestId, endpoint_kind AS Kind, created_at AS CreatedAt, deadline AS Deadline,
                    next_poll_at AS DueAt, polls AS Polls, consecutive_unknown AS ConsecutiveUnknown,
                    consecutive_transient AS ConsecutiveTransient, first_not_found_at AS FirstNotFoundAt, trace_parent AS TraceParent,
                    last_polled_at AS LastPolledAt
                """;
            rows = [.. await connection.QueryAsync<ClaimedRow>(new CommandDefinition(
                sql,
                new { Owner = owner, LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Now = at, Limit = grant },
                transaction,
                cancellationToken: cancellationToken))];
        }

        tokens -= rows.Count;
        // Never move the refill clock back: a replica that read its clock before another replica's claim took the
        // row lock would otherwise make the next claim refill that stretch of time a second time.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE upstream_budget SET tokens = @Tokens, refilled_at = @At WHERE id = 1",
            new { Tokens = tokens, At = Math.Max(at, bucket.RefilledAt) },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);

        var exhausted = rows.Count < maxCount && rows.Count == grant;
        var nextGrantAt = budget.TokensPerMillisecond <= 0 || tokens >= 1
            ? now
            : now + TimeSpan.FromMilliseconds(Math.Ceiling((1 - tokens) / budget.TokensPerMillisecond));
        return new ClaimResult([.. rows.OrderBy(r => r.DueAt).Select(r => r.ToClaimed())], exhausted, nextGrantAt);
    }

    public async Task<int> ApplyAsync(string owner, IReadOnlyList<PollUpdate> updates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return 0;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();

        var reschedules = updates.Where(u => u.Outcome is null).ToList();
        if (reschedules.Count > 0)
        {
            await RescheduleAsync(connection, transaction, owner, reschedules, at, cancellationToken);
        }

        var ended = 0;
        foreach (var update in updates.Where(u => u.Outcome is not null))
        {
            var changed = await EndCoreAsync(connection, transaction, update.RequestId, update.Outcome!, at, owner, update, cancellationToken);
            ended += changed ? 1 : 0;
        }

        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    /// <summary>Writes the next poll times of unfinished requests back and releases their leases: the whole batch in
    /// one statement (one round trip), its rows passed as one JSON parameter.</summary>
    private Task<int> RescheduleAsync(
        DbConnection connection, DbTransaction transaction, string owner, List<PollUpdate> updates, long at, CancellationToken cancellationToken)
    {
        var rows = updates.Select(u => new RescheduleRow(
            u.RequestId,
            u.NextPollAt!.Value.ToUnixTimeMilliseconds(),
            u.Polls,
            u.ConsecutiveUnknown,
            u.ConsecutiveTransient,
            u.FirstNotFoundAt?.ToUnixTimeMilliseconds(),
            u.ObservedAt.ToUnixTimeMilliseconds(),
            u.Observation,
            u.HttpStatus));
        return connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE tracked_requests AS t SET next_poll_at = u.next_poll_at, lease_owner = NULL, lease_until = NULL, polls = u.polls,
                consecutive_unknown = u.consecutive_unknown, consecutive_transient = u.consecutive_transient,
                first_not_found_at = u.first_not_found_at, last_polled_at = u.observed_at, last_observation = u.observation,
                last_http_status = u.http_status, updated_at = @At
            FROM {Dialect.JsonRows("Rows", "u", RescheduleColumns)}
            WHERE t.request_id = u.request_id AND t.lease_owner = @Owner AND t.state = 'Tracking'
            """,
            new { Rows = JsonSerializer.Serialize(rows, RescheduleRow.Json), Owner = owner, At = at },
            transaction,
            cancellationToken: cancellationToken));
    }

    public async Task<int> ExpireOverdueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var overdue = (await connection.QueryAsync<OverdueRow>(new CommandDefinition(
            """
            SELECT request_id AS RequestId, deadline AS Deadline FROM tracked_requests
            WHERE state = 'Tracking' AND deadline <= @Now AND (lease_until IS NULL OR lease_until < @Now)
            ORDER BY deadline
            LIMIT @Limit
            """,
            new { Now = at, Limit = maxCount },
            cancellationToken: cancellationToken))).ToList();
        if (overdue.Count == 0)
        {
            return 0;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ended = 0;
        foreach (var row in overdue)
        {
            var outcome = TerminalOutcome.Failed(FailureReason.TimedOut, null, DateTimeOffset.FromUnixTimeMilliseconds(row.Deadline));
            ended += await EndCoreAsync(connection, transaction, row.RequestId, outcome, at, owner: null, poll: null, cancellationToken) ? 1 : 0;
        }

        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    public async Task<bool> EndAsync(string requestId, TerminalOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await EndCoreAsync(connection, transaction, requestId, outcome, now.ToUnixTimeMilliseconds(), owner: null, poll: null, cancellationToken, ignoreLease: true);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Leased rows are being polled; a dead replica's expired leases are found by the periodic claim.
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_poll_at) FROM tracked_requests WHERE state = 'Tracking' AND lease_owner IS NULL",
            cancellationToken: cancellationToken));
        return next is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(next.Value);
    }

    public async Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tracked_requests SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND state = 'Tracking'",
            new { Owner = owner },
            cancellationToken: cancellationToken));
    }

    public async Task PauseUpstreamAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE upstream_budget SET throttles = throttles + 1,
                paused_until = CASE WHEN paused_until > @Until THEN paused_until ELSE @Until END,
                tokens = 0
            WHERE id = 1
            """,
            new { Until = until.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    public async Task<TrackedRequestView?> GetAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(
            """
            SELECT request_id AS RequestId, endpoint_kind AS Kind, state AS State, created_at AS CreatedAt, deadline AS Deadline,
                next_poll_at AS NextPollAt, polls AS Polls, last_polled_at AS LastPolledAt, last_observation AS LastObservation,
                last_http_status AS LastHttpStatus, failure_reason AS FailureReason, result_json AS ResultJson, error_json AS ErrorJson,
                finished_at AS FinishedAt, noticed_at AS NoticedAt
            FROM tracked_requests WHERE request_id = @RequestId
            """,
            new { RequestId = requestId },
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var subscribers = await connection.QueryAsync<SubscriberRow>(new CommandDefinition(
            """
            SELECT subscriber_id AS SubscriberId, correlation_id AS CorrelationId, partner_id AS PartnerId, webhook_url AS WebhookUrl,
                metadata_json AS MetadataJson, created_at AS CreatedAt, cancelled_at AS CancelledAt
            FROM subscribers WHERE request_id = @RequestId ORDER BY created_at, subscriber_id
            """,
            new { RequestId = requestId },
            cancellationToken: cancellationToken));
        return row.ToView([.. subscribers.Select(s => s.ToView())]);
    }

    public async Task<CancelResult> CancelAsync(string requestId, string partnerId, bool notify, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();

        // The request row lock orders this against a poll ending the request and against new subscribers.
        var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"SELECT state FROM tracked_requests WHERE request_id = @RequestId{ForUpdate}",
            new { RequestId = requestId },
            transaction,
            cancellationToken: cancellationToken));
        var subscribers = state is null
            ? []
            : (await connection.QueryAsync<(string SubscriberId, string? PartnerId, long? CancelledAt)>(new CommandDefinition(
                "SELECT subscriber_id, partner_id, cancelled_at FROM subscribers WHERE request_id = @RequestId",
                new { RequestId = requestId },
                transaction,
                cancellationToken: cancellationToken))).ToList();
        var own = subscribers.Where(s => s.PartnerId == partnerId).ToList();
        if (own.Count == 0)
        {
            return CancelResult.NotFound;
        }

        if (state != Tracking)
        {
            return CancelResult.AlreadyEnded;
        }

        var active = own.Where(s => s.CancelledAt is null).Select(s => s.SubscriberId).ToList();
        if (active.Count == 0)
        {
            return CancelResult.AlreadyCancelled;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE subscribers SET cancelled_at = @At WHERE subscriber_id = @SubscriberId AND cancelled_at IS NULL",
            active.Select(id => new { SubscriberId = id, At = at }),
            transaction,
            cancellationToken: cancellationToken));

        // The loop ends only when nobody else waits; others keep their subscription and their outcome.
        var othersWait = subscribers.Any(s => s.PartnerId != partnerId && s.CancelledAt is null);
        if (!othersWait)
        {
            await EndCoreAsync(connection, transaction, requestId, TerminalOutcome.Failed(FailureReason.Cancelled, null, now), at, owner: null, poll: null, cancellationToken, ignoreLease: true);
        }

        if (notify)
        {
            await InsertOutboxAsync(connection, transaction, requestId, TrackingState.Failed, active, at, cancellationToken);
            var cancelled = TerminalOutcome.Failed(FailureReason.Cancelled, null, now);
            foreach (var subscriberId in active)
            {
                await WebhookDeliveryWriter.WriteAsync(connection, transaction, requestId, cancelled, now, subscriberId, at, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return othersWait ? CancelResult.CancelledSubscription : CancelResult.CancelledRequest;
    }

    public async Task<IReadOnlyDictionary<TrackingState, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, COUNT(*) FROM tracked_requests GROUP BY state",
            cancellationToken: cancellationToken));
        var counts = Enum.GetValues<TrackingState>().ToDictionary(s => s, _ => 0L);
        foreach (var (state, count) in rows)
        {
            counts[Enum.Parse<TrackingState>(state)] = count;
        }

        return counts;
    }

    /// <summary>Moves a tracking request to its terminal state and queues one notification per subscriber and its
    /// webhook messages, in the caller's transaction. With an owner, only while that owner still holds the lease.</summary>
    private static async Task<bool> EndCoreAsync(
        DbConnection connection,
        DbTransaction transaction,
        string requestId,
        TerminalOutcome outcome,
        long at,
        string? owner,
        PollUpdate? poll,
        CancellationToken cancellationToken,
        bool ignoreLease = false)
    {
        var leaseCondition = (owner, ignoreLease) switch
        {
            (_, true) => "",
            (null, _) => " AND (lease_until IS NULL OR lease_until < @At)",
            _ => " AND lease_owner = @Owner",
        };
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE tracked_requests SET state = @State, next_poll_at = NULL, lease_owner = NULL, lease_until = NULL,
                failure_reason = @Reason, result_json = @Result, error_json = @Error, finished_at = @FinishedAt, noticed_at = @At,
                updated_at = @At,
                polls = COALESCE(@Polls, polls), last_polled_at = COALESCE(@ObservedAt, last_polled_at),
                last_observation = COALESCE(@Observation, last_observation), last_http_status = COALESCE(@HttpStatus, last_http_status),
                consecutive_unknown = COALESCE(@ConsecutiveUnknown, consecutive_unknown)
            WHERE request_id = @RequestId AND state = 'Tracking'{leaseCondition}
            """,
            new
            {
                RequestId = requestId,
                Owner = owner,
                State = outcome.State.ToString(),
                Reason = outcome.Reason?.ToString(),
                Result = StoreJson.Serialize(outcome.Result),
                Error = StoreJson.Serialize(outcome.Error),
                FinishedAt = outcome.FinishedAt.ToUnixTimeMilliseconds(),
                At = at,
                poll?.Polls,
                ObservedAt = poll?.ObservedAt.ToUnixTimeMilliseconds(),
                poll?.Observation,
                poll?.HttpStatus,
                poll?.ConsecutiveUnknown,
            },
            transaction,
            cancellationToken: cancellationToken)) == 1;
        if (!changed)
        {
            return false;
        }

        var subscribers = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT subscriber_id FROM subscribers WHERE request_id = @RequestId AND cancelled_at IS NULL",
            new { RequestId = requestId },
            transaction,
            cancellationToken: cancellationToken))).ToList();
        await InsertOutboxAsync(connection, transaction, requestId, outcome.State, subscribers, at, cancellationToken);
        await WebhookDeliveryWriter.WriteAsync(
            connection, transaction, requestId, outcome, DateTimeOffset.FromUnixTimeMilliseconds(at), subscriberId: null, at, cancellationToken);
        return true;
    }

    private static Task<int> InsertOutboxAsync(
        DbConnection connection,
        DbTransaction transaction,
        string requestId,
        TrackingState state,
        IReadOnlyList<string> subscriberIds,
        long at,
        CancellationToken cancellationToken)
    {
        var messageType = state == TrackingState.Completed ? nameof(RequestCompleted) : nameof(RequestFailed);
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox (message_id, request_id, subscriber_id, message_type, created_at, next_attempt_at)
            VALUES (@MessageId, @RequestId, @SubscriberId, @MessageType, @At, @At)
            ON CONFLICT (message_id) DO NOTHING
            """,
            subscriberIds.Select(s => new
            {
                MessageId = OutboxMessageId.For(requestId, s).ToString(),
                RequestId = requestId,
                SubscriberId = s,
                MessageType = messageType,
                At = at,
            }),
            transaction,
            cancellationToken: cancellationToken));
    }

    private sealed record BudgetRow(double Tokens, long RefilledAt, long PausedUntil);

    private sealed record OverdueRow(string RequestId, long Deadline);

    private sealed class ClaimedRow
    {
        public string RequestId { get; init; } = "";

        public string Kind { get; init; } = "";

        public long CreatedAt { get; init; }

        public long Deadline { get; init; }

        public long DueAt { get; init; }

        public int Polls { get; init; }

        public int ConsecutiveUnknown { get; init; }

        public int ConsecutiveTransient { get; init; }

        public long? FirstNotFoundAt { get; init; }

        public string? TraceParent { get; init; }

        public long? LastPolledAt { get; init; }

        public ClaimedRequest ToClaimed() => new(
            RequestId,
            Enum.Parse<EndpointKind>(Kind),
            DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(Deadline),
            DateTimeOffset.FromUnixTimeMilliseconds(DueAt),
            Polls,
            ConsecutiveUnknown,
            ConsecutiveTransient,
            FirstNotFoundAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(FirstNotFoundAt.Value),
            TraceParent,
            LastPolledAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(LastPolledAt.Value));
    }

    private sealed class RequestRow
    {
        public string RequestId { get; init; } = "";

        public string Kind { get; init; } = "";

        public string State { get; init; } = "";

        public long CreatedAt { get; init; }

        public long Deadline { get; init; }

        public long? NextPollAt { get; init; }

        public int Polls { get; init; }

        public long? LastPolledAt { get; init; }

        public string? LastObservation { get; init; }

        public int? LastHttpStatus { get; init; }

        public string? FailureReason { get; init; }

        public string? ResultJson { get; init; }

        public string? ErrorJson { get; init; }

        public long? FinishedAt { get; init; }

        public long? NoticedAt { get; init; }

        public TrackedRequestView ToView(IReadOnlyList<SubscriberView> subscribers)
        {
            var state = Enum.Parse<TrackingState>(State);
            TerminalOutcome? outcome = state == TrackingState.Tracking
                ? null
                : new TerminalOutcome(
                    FailureReason is null ? null : Enum.Parse<Contracts.FailureReason>(FailureReason),
                    StoreJson.Deserialize<BriaResult>(ResultJson),
                    StoreJson.Deserialize<BriaError>(ErrorJson),
                    Time(FinishedAt) ?? DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
            return new TrackedRequestView(
                RequestId,
                Enum.Parse<EndpointKind>(Kind),
                state,
                DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
                DateTimeOffset.FromUnixTimeMilliseconds(Deadline),
                Time(NextPollAt),
                Polls,
                Time(LastPolledAt),
                LastObservation,
                LastHttpStatus,
                outcome,
                Time(NoticedAt),
                subscribers);
        }
    }

    private static DateTimeOffset? Time(long? unixMilliseconds) =>
        unixMilliseconds is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds.Value);
}
