using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Tracking;
using Dapper;

namespace Bria.StatusBridge.Persistence;

internal sealed class OutboxStore(IDbConnectionFactory connections) : IOutboxStore
{
    public async Task<IReadOnlyList<PendingNotification>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var skipLocked = connections.Dialect.SkipLocked;
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            UPDATE outbox SET lease_owner = @Owner, lease_until = @LeaseUntil, attempts = attempts + 1
            WHERE message_id IN (
                SELECT message_id FROM outbox
                WHERE sent_at IS NULL AND next_attempt_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY next_attempt_at
                LIMIT @Limit{skipLocked})
            RETURNING message_id
            """,
            new { Owner = owner, LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Now = now.ToUnixTimeMilliseconds(), Limit = maxCount },
            transaction,
            cancellationToken: cancellationToken))).ToList();
        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }

        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT o.message_id AS MessageId, o.request_id AS RequestId, o.attempts AS Attempts,
                r.failure_reason AS FailureReason, r.result_json AS ResultJson, r.error_json AS ErrorJson,
                r.finished_at AS FinishedAt, r.noticed_at AS NoticedAt, r.trace_parent AS TraceParent,
                s.subscriber_id AS SubscriberId, s.correlation_id AS CorrelationId, s.partner_id AS PartnerId,
                s.webhook_url AS WebhookUrl, s.metadata_json AS MetadataJson, s.created_at AS SubscribedAt,
                s.cancelled_at AS CancelledAt
            FROM outbox o
            JOIN tracked_requests r ON r.request_id = o.request_id
            JOIN subscribers s ON s.subscriber_id = o.subscriber_id
            WHERE {InIds("o.message_id")}
            ORDER BY o.next_attempt_at
            """,
            new { Ids = ids.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. rows.Select(r => r.ToPending())];
    }

    public async Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE outbox SET sent_at = @At, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE {InIds("message_id")}",
            new { At = now.ToUnixTimeMilliseconds(), Ids = messageIds.Select(i => i.ToString()).ToArray() },
            cancellationToken: cancellationToken));
    }

    public async Task MarkFailedAsync(Guid messageId, DateTimeOffset retryAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET next_attempt_at = @RetryAt, lease_owner = NULL, lease_until = NULL, last_error = @Error
            WHERE message_id = @MessageId AND sent_at IS NULL
            """,
            new { MessageId = messageId.ToString(), RetryAt = retryAt.ToUnixTimeMilliseconds(), Error = error.Length > 2000 ? error[..2000] : error },
            cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND lease_owner IS NULL",
            cancellationToken: cancellationToken));
        return next is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(next.Value);
    }

    public async Task<long> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL",
            cancellationToken: cancellationToken));
    }

    private string InIds(string column) => connections.Dialect.InIds(column);

    private sealed class Row
    {
        public string MessageId { get; init; } = "";

        public string RequestId { get; init; } = "";

        public int Attempts { get; init; }

        public string? FailureReason { get; init; }

        public string? ResultJson { get; init; }

        public string? ErrorJson { get; init; }

        public long? FinishedAt { get; init; }

        public long? NoticedAt { get; init; }

        public string? TraceParent { get; init; }

        public string SubscriberId { get; init; } = "";

        public string? CorrelationId { get; init; }

        public string? PartnerId { get; init; }

        public string? WebhookUrl { get; init; }

        public string? MetadataJson { get; init; }

        public long SubscribedAt { get; init; }

        public long? CancelledAt { get; init; }

        public PendingNotification ToPending()
        {
            var noticedAt = DateTimeOffset.FromUnixTimeMilliseconds(NoticedAt ?? 0);
            var outcome = new TerminalOutcome(
                FailureReason is null ? null : Enum.Parse<Contracts.FailureReason>(FailureReason),
                StoreJson.Deserialize<BriaResult>(ResultJson),
                StoreJson.Deserialize<BriaError>(ErrorJson),
                FinishedAt is null ? noticedAt : DateTimeOffset.FromUnixTimeMilliseconds(FinishedAt.Value));
            var cancelledAt = CancelledAt is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(CancelledAt.Value);
            if (cancelledAt is not null)
            {
                // A subscriber that cancelled hears its own ending, whatever the request (maybe still polled for others) does.
                outcome = TerminalOutcome.Failed(Contracts.FailureReason.Cancelled, null, cancelledAt.Value);
                noticedAt = cancelledAt.Value;
            }

            var subscriber = new SubscriberView(
                SubscriberId,
                CorrelationId,
                PartnerId,
                WebhookUrl is null ? null : new Uri(WebhookUrl),
                StoreJson.Deserialize<Dictionary<string, string>>(MetadataJson) ?? [],
                DateTimeOffset.FromUnixTimeMilliseconds(SubscribedAt),
                cancelledAt);
            return new PendingNotification(Guid.Parse(MessageId), RequestId, Attempts, outcome, noticedAt, subscriber, TraceParent);
        }
    }
}
