using System.Text.Json;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Tracked requests, their subscribers and the shared upstream budget (<c>tracked_requests</c>,
/// <c>subscribers</c>, <c>upstream_budget</c>): the only writer of the three. A terminal outcome's notifications are
/// queued in the same transaction by <see cref="OutcomeNotificationWriter"/>, through the stores of their tables.</summary>
internal sealed partial class TrackingStore(IDbConnectionFactory connections, OutcomeNotificationWriter notifications, RequestChangeNotifier changes)
    : ITrackingStore
{
    private const string Tracking = nameof(TrackingState.Tracking);

    private const string SubscriberColumns = """
        subscriber_id AS SubscriberId, correlation_id AS CorrelationId, partner_id AS PartnerId, webhook_url AS WebhookUrl,
        metadata_json AS MetadataJson, created_at AS CreatedAt, cancelled_at AS CancelledAt
        """;

    private const string RequestColumns = """
        request_id AS RequestId, endpoint_kind AS Kind, state AS State, created_at AS CreatedAt, deadline AS Deadline,
        next_poll_at AS NextPollAt, polls AS Polls, last_polled_at AS LastPolledAt, last_observation AS LastObservation,
        last_http_status AS LastHttpStatus, failure_reason AS FailureReason, result_json AS ResultJson, error_json AS ErrorJson,
        finished_at AS FinishedAt, noticed_at AS NoticedAt
        """;

    private static readonly JsonColumn[] ObservationColumns = [new("request_id", "text"), new("observation", "text")];

    private static readonly JsonColumn[] RescheduleColumns =
    [
        new("request_id", "text"), new("next_poll_at", "bigint"), new("early_poll_at", "bigint"), new("polls", "integer"), new("consecutive_unknown", "integer"),
        new("consecutive_transient", "integer"), new("first_not_found_at", "bigint"), new("observed_at", "bigint"),
        new("observation", "text"), new("http_status", "integer"),
    ];

    public async Task<TrackResult> TrackAsync(TrackingCommand command, DateTimeOffset now, DateTimeOffset firstPollAt, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var connection = transaction.Connection;
        var at = now.ToUnixTimeMilliseconds();

        var inserted = await connection.ExecuteAsync(transaction.Command(
            """
            INSERT INTO tracked_requests (request_id, endpoint_kind, state, status_url, created_at, updated_at, deadline, next_poll_at, trace_parent, bria_pushes)
            VALUES (@RequestId, @Kind, @State, @StatusUrl, @At, @At, @Deadline, @NextPollAt, @TraceParent, @BriaPushes)
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
                BriaPushes = command.BriaPushes ? 1 : 0,
            },
            cancellationToken)) == 1;

        // Lock the request row: a poll that is ending the request right now either commits first (and this
        // subscriber is notified from the stored outcome) or sees this subscriber when it lists them.
        var state = Enum.Parse<TrackingState>(await connection.QuerySingleAsync<string>(transaction.Command(
            $"SELECT state FROM tracked_requests WHERE request_id = @RequestId{transaction.Dialect.ForUpdate}",
            new { command.RequestId },
            cancellationToken)));

        if (!inserted && state == TrackingState.Tracking)
        {
            // A later subscriber with a later deadline keeps the loop going for it.
            await connection.ExecuteAsync(transaction.Command(
                """
                UPDATE tracked_requests SET deadline = @Deadline, updated_at = @At
                WHERE request_id = @RequestId AND deadline < @Deadline
                """,
                new { command.RequestId, Deadline = command.Deadline.ToUnixTimeMilliseconds(), At = at },
                cancellationToken));
        }

        var subscriberId = command.SubscriberId;
        var newSubscriber = await connection.ExecuteAsync(transaction.Command(
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
            cancellationToken)) == 1;

        // A request whose subscribers all cancelled is parked (tracking, no next poll): a new subscriber resumes its
        // polling, up to the new subscriber's deadline, and so gets Bria's real outcome.
        var resumed = newSubscriber && !inserted && state == TrackingState.Tracking && await connection.ExecuteAsync(transaction.Command(
            """
            UPDATE tracked_requests SET next_poll_at = @NextPollAt, early_poll_at = NULL, deadline = @Deadline, updated_at = @At
            WHERE request_id = @RequestId AND state = 'Tracking' AND next_poll_at IS NULL
            """,
            new
            {
                command.RequestId,
                Deadline = command.Deadline.ToUnixTimeMilliseconds(),
                NextPollAt = Math.Min(firstPollAt.ToUnixTimeMilliseconds(), command.Deadline.ToUnixTimeMilliseconds()),
                At = at,
            },
            cancellationToken)) == 1;

        if (newSubscriber && state != TrackingState.Tracking)
        {
            // The request already ended: the new subscriber is notified from the stored outcome.
            var stored = await connection.QuerySingleAsync<RequestRow>(transaction.Command(
                $"SELECT {RequestColumns} FROM tracked_requests WHERE request_id = @RequestId",
                new { command.RequestId },
                cancellationToken));
            var subscribers = await SubscribersAsync(transaction, "subscriber_id = @SubscriberId", new { SubscriberId = subscriberId }, cancellationToken);
            var noticedAt = StoreTime.At(stored.NoticedAt ?? at);
            await notifications.QueueAsync(transaction, command.RequestId, stored.Outcome(noticedAt), noticedAt, subscribers, at, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new TrackResult(inserted, newSubscriber, state, subscriberId) { Resumed = resumed };
    }

    public async Task<ClaimResult> ClaimDueAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, BudgetPolicy budget, bool takeEarly, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var connection = transaction.Connection;
        var at = now.ToUnixTimeMilliseconds();

        // The budget row is the replicas' meeting point: holding it while claiming keeps the shared count exact.
        var bucket = await connection.QuerySingleAsync<BudgetBucket>(transaction.Command(
            $"SELECT tokens AS Tokens, refilled_at AS RefilledAt, paused_until AS PausedUntil, granted AS Granted, early_granted AS EarlyGranted FROM upstream_budget WHERE id = 1{transaction.Dialect.ForUpdate}",
            null,
            cancellationToken));
        var grant = budget.Grant(bucket, now, maxCount);
        if (grant.PausedUntil is { } pausedUntil)
        {
            await transaction.CommitAsync(cancellationToken);
            return new ClaimResult([], true, pausedUntil) { Granted = bucket.Granted, EarlyGranted = bucket.EarlyGranted };
        }

        IReadOnlyList<ClaimedRow> rows = [];
        if (grant.Calls > 0)
        {
            rows = await ClaimRowsAsync(transaction, "next_poll_at <= @Now", "next_poll_at", owner, grant.Calls, now, lease, cancellationToken);
        }

        // Calls the planned looks leave unspent would be lost once the bucket is full: while it holds more than half of
        // what it can (after the due polls), the rest goes to looks that may come early, at the jobs looked at longest
        // ago first (each may come early from one minimum interval after its last look; the small index of those that
        // may at all serves both the choice and the order, whatever plan the database picks).
        IReadOnlyList<ClaimedRow> early = [];
        var spare = takeEarly ? Math.Min(budget.Spare(grant.Tokens - rows.Count), maxCount - rows.Count) : 0;
        if (spare > 0)
        {
            early = await ClaimRowsAsync(transaction, "early_poll_at <= @Now AND next_poll_at > @Now", "early_poll_at", owner, spare, now, lease, cancellationToken);
        }

        var claimed = rows.Count + early.Count;
        var settled = budget.Settle(grant, claimed, maxCount, now);
        await connection.ExecuteAsync(transaction.Command(
            "UPDATE upstream_budget SET tokens = @Tokens, refilled_at = @RefilledAt, granted = granted + @Claimed, early_granted = early_granted + @Early WHERE id = 1",
            new { settled.Tokens, settled.RefilledAt, Claimed = claimed, Early = early.Count },
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new ClaimResult(
            [.. rows.OrderBy(r => r.DueAt).Select(r => r.ToClaimed()), .. early.OrderBy(r => r.EarlyPollAt).Select(r => r.ToClaimed() with { Early = true })],
            settled.Exhausted,
            settled.NextGrantAt)
        {
            Granted = bucket.Granted + claimed,
            EarlyGranted = bucket.EarlyGranted + early.Count,
        };
    }

    /// <summary>Leases up to <paramref name="limit"/> tracking requests that <paramref name="due"/> selects and no lease
    /// holds, in the order of <paramref name="orderBy"/>.</summary>
    private static async Task<IReadOnlyList<ClaimedRow>> ClaimRowsAsync(
        StoreTransaction transaction, string due, string orderBy, string owner, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var at = now.ToUnixTimeMilliseconds();
        return [.. await transaction.Connection.QueryAsync<ClaimedRow>(transaction.Command(
            $"""
            UPDATE tracked_requests SET lease_owner = @Owner, lease_until = @LeaseUntil
            WHERE request_id IN (
                SELECT request_id FROM tracked_requests
                WHERE state = 'Tracking' AND {due} AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY {orderBy}
                LIMIT @Limit{transaction.Dialect.SkipLocked})
            RETURNING request_id AS RequestId, endpoint_kind AS Kind, created_at AS CreatedAt, deadline AS Deadline,
                next_poll_at AS DueAt, polls AS Polls, consecutive_unknown AS ConsecutiveUnknown,
                consecutive_transient AS ConsecutiveTransient, first_not_found_at AS FirstNotFoundAt, trace_parent AS TraceParent,
                last_polled_at AS LastPolledAt, bria_pushes AS BriaPushes, last_observation AS LastObservation,
                early_poll_at AS EarlyPollAt
            """,
            new { Owner = owner, LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Now = at, Limit = limit },
            cancellationToken))];
    }

    public async Task<int> ApplyAsync(string owner, IReadOnlyList<PollUpdate> updates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return 0;
        }

        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var at = now.ToUnixTimeMilliseconds();

        var reschedules = updates.Where(u => u.Outcome is null).ToList();
        if (reschedules.Count > 0)
        {
            var changed = await RescheduleAsync(transaction, owner, RescheduleRowsJson(reschedules), at, cancellationToken);
            await changes.NotifyAsync(transaction, changed, cancellationToken);
        }

        var ended = 0;
        foreach (var update in updates.Where(u => u.Outcome is not null))
        {
            ended += await EndAsync(transaction, update.RequestId, update.Outcome!, at, LeaseRule.HeldBy(owner), update, cancellationToken) ? 1 : 0;
        }

        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    public async Task<PushApplied> ApplyPushAsync(string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var applied = await ApplyPushAsync(transaction, requestId, outcome, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    public async Task<PushApplied> ApplyPushAsync(
        StoreTransaction transaction, string requestId, TerminalOutcome? outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var at = now.ToUnixTimeMilliseconds();

        // The row lock orders this against a poll ending the request and against new subscribers, as TrackAsync does.
        var state = await transaction.Connection.QuerySingleOrDefaultAsync<string>(transaction.Command(
            $"SELECT state FROM tracked_requests WHERE request_id = @RequestId{transaction.Dialect.ForUpdate}",
            new { RequestId = requestId },
            cancellationToken));
        if (state is null)
        {
            return PushApplied.NotTracked;
        }

        if (state != Tracking)
        {
            return PushApplied.AlreadyEnded;
        }

        if (outcome is not null)
        {
            // Whoever holds the poll lease: its result, written later, finds the request ended and is dropped.
            return await EndAsync(transaction, requestId, outcome, at, LeaseRule.Ignored, poll: null, cancellationToken)
                ? PushApplied.Ended
                : PushApplied.AlreadyEnded;
        }

        // A hint: due now, unless a poll is in flight (it is about to look anyway) or polling is paused.
        var due = await transaction.Connection.ExecuteAsync(transaction.Command(
            """
            UPDATE tracked_requests SET next_poll_at = @At, updated_at = @At
            WHERE request_id = @RequestId AND state = 'Tracking' AND next_poll_at > @At AND (lease_until IS NULL OR lease_until < @At)
            """,
            new { RequestId = requestId, At = at },
            cancellationToken));
        return due == 1 ? PushApplied.PollNow : PushApplied.Unchanged;
    }

    public async Task<IReadOnlyList<ExpiredRequest>> ExpireOverdueAsync(DateTimeOffset now, int maxCount, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var overdue = (await transaction.Connection.QueryAsync<OverdueRow>(transaction.Command(
            """
            SELECT request_id AS RequestId, endpoint_kind AS Kind, created_at AS CreatedAt, deadline AS Deadline,
                last_polled_at AS LastPolledAt, last_observation AS LastObservation
            FROM tracked_requests
            WHERE state = 'Tracking' AND next_poll_at IS NOT NULL AND deadline <= @Now AND (lease_until IS NULL OR lease_until < @Now)
            ORDER BY deadline
            LIMIT @Limit
            """,
            new { Now = at, Limit = maxCount },
            cancellationToken))).ToList();

        var ended = new List<ExpiredRequest>(overdue.Count);
        foreach (var row in overdue)
        {
            var outcome = TerminalOutcome.Failed(FailureReason.TimedOut, null, StoreTime.At(row.Deadline));
            if (await EndAsync(transaction, row.RequestId, outcome, at, LeaseRule.Unleased, poll: null, cancellationToken))
            {
                ended.Add(row.ToExpired());
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return ended;
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Leased rows are being polled; a dead replica's expired leases are found by the periodic claim.
        return StoreTime.At(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_poll_at) FROM tracked_requests WHERE state = 'Tracking' AND lease_owner IS NULL",
            cancellationToken: cancellationToken)));
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
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var row = await transaction.Connection.QuerySingleOrDefaultAsync<RequestRow>(transaction.Command(
            $"SELECT {RequestColumns} FROM tracked_requests WHERE request_id = @RequestId",
            new { RequestId = requestId },
            cancellationToken));
        if (row is null)
        {
            return null;
        }

        var subscribers = await SubscribersAsync(transaction, "request_id = @RequestId", new { RequestId = requestId }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row.ToView(subscribers);
    }

    public async Task<IReadOnlyList<PartnerRequestSummary>> ListForPartnerAsync(string partnerId, int limit, CancellationToken cancellationToken)
    {
        // Each request once, at the partner's newest subscription to it: the partner's subscriptions are read newest
        // first (ix_subscribers_partner_created) and the read stops at the page, so history past it costs nothing.
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PartnerRequestRow>(new CommandDefinition(
            """
            SELECT r.request_id AS RequestId, r.endpoint_kind AS Kind, r.state AS State, r.failure_reason AS FailureReason,
                s.created_at AS TrackedAt, r.finished_at AS FinishedAt
            FROM subscribers s JOIN tracked_requests r ON r.request_id = s.request_id
            WHERE s.partner_id = @PartnerId
                AND NOT EXISTS (
                    SELECT 1 FROM subscribers n
                    WHERE n.partner_id = s.partner_id AND n.request_id = s.request_id
                        AND (n.created_at > s.created_at OR (n.created_at = s.created_at AND n.subscriber_id > s.subscriber_id)))
            ORDER BY s.created_at DESC, s.request_id DESC
            LIMIT @Limit
            """,
            new { PartnerId = partnerId, Limit = limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToSummary())];
    }

    public async Task<CancelResult> CancelAsync(string requestId, string partnerId, bool notify, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var connection = transaction.Connection;
        var at = now.ToUnixTimeMilliseconds();

        // The request row lock orders this against a poll ending the request and against new subscribers.
        var state = await connection.QuerySingleOrDefaultAsync<string>(transaction.Command(
            $"SELECT state FROM tracked_requests WHERE request_id = @RequestId{transaction.Dialect.ForUpdate}",
            new { RequestId = requestId },
            cancellationToken));
        var subscribers = state is null
            ? []
            : await SubscribersAsync(transaction, "request_id = @RequestId", new { RequestId = requestId }, cancellationToken);
        var decision = CancelRule.Decide(state is null ? null : Enum.Parse<TrackingState>(state), subscribers, partnerId);
        if (decision.Ending.Count == 0)
        {
            return decision.Result;
        }

        await connection.ExecuteAsync(transaction.Command(
            "UPDATE subscribers SET cancelled_at = @At WHERE subscriber_id = @SubscriberId AND cancelled_at IS NULL",
            decision.Ending.Select(s => new { s.SubscriberId, At = at }),
            cancellationToken));

        // Others keep their subscription and their outcome. When nobody waits any more, polling pauses but the request
        // does not end: the Bria job goes on, and a later subscriber resumes polling and gets its real outcome. The
        // lease is dropped too, so a poll in flight cannot write a next poll time (its update needs the lease).
        var cancelled = TerminalOutcome.Failed(FailureReason.Cancelled, null, now);
        if (decision.Result == CancelResult.CancelledRequest)
        {
            await connection.ExecuteAsync(transaction.Command(
                """
                UPDATE tracked_requests SET next_poll_at = NULL, early_poll_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = @At
                WHERE request_id = @RequestId AND state = 'Tracking'
                """,
                new { RequestId = requestId, At = at },
                cancellationToken));
        }

        if (notify)
        {
            await notifications.QueueAsync(transaction, requestId, cancelled, now, decision.Ending, at, cancellationToken);
        }
        else
        {
            // No notification is owed, but the partner's status streams wait for these subscriptions: they end now.
            await changes.NotifyAsync(transaction, [requestId], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return decision.Result;
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

    /// <summary>Writes the next poll times of unfinished requests back and releases their leases: the whole batch in
    /// one statement, its rows passed as one JSON parameter. The same round trip first reads which requests' observation
    /// (what Bria said) differs from the stored one: what a status stream shows as a change.</summary>
    private static async Task<IReadOnlyList<string>> RescheduleAsync(
        StoreTransaction transaction, string owner, string rows, long at, CancellationToken cancellationToken)
    {
        var changed = await transaction.Connection.QueryAsync<string>(transaction.Command(
            $"""
            SELECT t.request_id FROM tracked_requests AS t, {transaction.Dialect.JsonRows("Rows", "u", ObservationColumns)}
            WHERE t.request_id = u.request_id AND t.lease_owner = @Owner AND t.state = 'Tracking'
                AND COALESCE(t.last_observation, '') <> COALESCE(u.observation, '');
            UPDATE tracked_requests AS t SET next_poll_at = u.next_poll_at, early_poll_at = u.early_poll_at, lease_owner = NULL, lease_until = NULL, polls = u.polls,
                consecutive_unknown = u.consecutive_unknown, consecutive_transient = u.consecutive_transient,
                first_not_found_at = u.first_not_found_at, last_polled_at = u.observed_at, last_observation = u.observation,
                last_http_status = u.http_status, updated_at = @At
            FROM {transaction.Dialect.JsonRows("Rows", "u", RescheduleColumns)}
            WHERE t.request_id = u.request_id AND t.lease_owner = @Owner AND t.state = 'Tracking'
            """,
            new { Rows = rows, Owner = owner, At = at },
            cancellationToken));
        return [.. changed];
    }

    /// <summary>A batch of unfinished requests' poll results as the one JSON parameter of the statements above.</summary>
    private static string RescheduleRowsJson(List<PollUpdate> updates) =>
        JsonSerializer.Serialize(
            updates.Select(u => new RescheduleRow(
                u.RequestId,
                u.NextPollAt!.Value.ToUnixTimeMilliseconds(),
                u.EarlyPollAt?.ToUnixTimeMilliseconds(),
                u.Polls,
                u.ConsecutiveUnknown,
                u.ConsecutiveTransient,
                u.FirstNotFoundAt?.ToUnixTimeMilliseconds(),
                u.ObservedAt.ToUnixTimeMilliseconds(),
                u.Observation,
                u.HttpStatus)),
            RescheduleRow.Json);

    /// <summary>Moves a tracking request to its terminal state and queues what it owes its subscribers that did not
    /// cancel, in the caller's transaction, as far as <paramref name="lease"/> allows.</summary>
    private async Task<bool> EndAsync(
        StoreTransaction transaction, string requestId, TerminalOutcome outcome, long at, LeaseRule lease, PollUpdate? poll, CancellationToken cancellationToken)
    {
        var changed = await transaction.Connection.ExecuteAsync(transaction.Command(
            $"""
            UPDATE tracked_requests SET state = @State, next_poll_at = NULL, early_poll_at = NULL, lease_owner = NULL, lease_until = NULL,
                failure_reason = @Reason, result_json = @Result, error_json = @Error, finished_at = @FinishedAt, noticed_at = @At,
                updated_at = @At,
                polls = COALESCE(@Polls, polls), last_polled_at = COALESCE(@ObservedAt, last_polled_at),
                last_observation = COALESCE(@Observation, last_observation), last_http_status = COALESCE(@HttpStatus, last_http_status),
                consecutive_unknown = COALESCE(@ConsecutiveUnknown, consecutive_unknown)
            WHERE request_id = @RequestId AND state = 'Tracking'{lease.Condition}
            """,
            new
            {
                RequestId = requestId,
                lease.Owner,
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
            cancellationToken)) == 1;
        if (!changed)
        {
            return false;
        }

        var subscribers = await SubscribersAsync(transaction, "request_id = @RequestId AND cancelled_at IS NULL", new { RequestId = requestId }, cancellationToken);
        await notifications.QueueAsync(transaction, requestId, outcome, StoreTime.At(at), subscribers, at, cancellationToken);
        return true;
    }

    private static async Task<IReadOnlyList<SubscriberView>> SubscribersAsync(
        StoreTransaction transaction, string condition, object parameters, CancellationToken cancellationToken)
    {
        var rows = await transaction.Connection.QueryAsync<SubscriberRow>(transaction.Command(
            $"SELECT {SubscriberColumns} FROM subscribers WHERE {condition} ORDER BY created_at, subscriber_id",
            parameters,
            cancellationToken));
        return [.. rows.Select(s => s.ToView())];
    }

    private sealed class OverdueRow
    {
        public string RequestId { get; init; } = "";

        public string Kind { get; init; } = "";

        public long CreatedAt { get; init; }

        public long Deadline { get; init; }

        public long? LastPolledAt { get; init; }

        public string? LastObservation { get; init; }

        public ExpiredRequest ToExpired() => new(
            RequestId,
            Enum.Parse<EndpointKind>(Kind),
            StoreTime.At(CreatedAt),
            LastObservation == nameof(StatusObservation.InProgress) ? StoreTime.At(LastPolledAt) : null);
    }

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

        public long BriaPushes { get; init; }

        public string? LastObservation { get; init; }

        public long? EarlyPollAt { get; init; }

        public ClaimedRequest ToClaimed() => new(
            RequestId,
            Enum.Parse<EndpointKind>(Kind),
            StoreTime.At(CreatedAt),
            StoreTime.At(Deadline),
            StoreTime.At(DueAt),
            Polls,
            ConsecutiveUnknown,
            ConsecutiveTransient,
            StoreTime.At(FirstNotFoundAt),
            TraceParent,
            StoreTime.At(LastPolledAt),
            BriaPushes: BriaPushes != 0,
            LastObservation: LastObservation);
    }

    private sealed class PartnerRequestRow
    {
        public string RequestId { get; init; } = "";

        public string Kind { get; init; } = "";

        public string State { get; init; } = "";

        public string? FailureReason { get; init; }

        public long TrackedAt { get; init; }

        public long? FinishedAt { get; init; }

        public PartnerRequestSummary ToSummary() => new(
            RequestId,
            Enum.Parse<EndpointKind>(Kind),
            Enum.Parse<TrackingState>(State),
            FailureReason is null ? null : Enum.Parse<Contracts.FailureReason>(FailureReason),
            StoreTime.At(TrackedAt),
            StoreTime.At(FinishedAt));
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

        /// <summary>The stored outcome; <paramref name="finishedFallback"/> stands in for a missing finish time.</summary>
        public TerminalOutcome Outcome(DateTimeOffset finishedFallback) => new(
            FailureReason is null ? null : Enum.Parse<Contracts.FailureReason>(FailureReason),
            StoreJson.Deserialize<BriaResult>(ResultJson),
            StoreJson.Deserialize<BriaError>(ErrorJson),
            StoreTime.At(FinishedAt) ?? finishedFallback);

        public TrackedRequestView ToView(IReadOnlyList<SubscriberView> subscribers)
        {
            var state = Enum.Parse<TrackingState>(State);
            return new TrackedRequestView(
                RequestId,
                Enum.Parse<EndpointKind>(Kind),
                state,
                StoreTime.At(CreatedAt),
                StoreTime.At(Deadline),
                StoreTime.At(NextPollAt),
                Polls,
                StoreTime.At(LastPolledAt),
                LastObservation,
                LastHttpStatus,
                state == TrackingState.Tracking ? null : Outcome(StoreTime.At(CreatedAt)),
                StoreTime.At(NoticedAt),
                subscribers);
        }
    }
}
