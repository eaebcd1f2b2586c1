using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Tracking;
using Dapper;

namespace Bria.StatusBridge.Persistence;

internal sealed partial class OutboxStore(IDbConnectionFactory connections) : IOutboxStore
{
    public Task EnqueueOutcomesAsync(
        StoreTransaction transaction, string requestId, TrackingState state, IReadOnlyCollection<string> subscriberIds, long at, CancellationToken cancellationToken)
    {
        var messageType = state == TrackingState.Completed ? nameof(RequestCompleted) : nameof(RequestFailed);
        return transaction.Connection.ExecuteAsync(transaction.Command(
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
            cancellationToken));
    }

    public Task EnqueueAsync<T>(StoreTransaction transaction, Guid messageId, T message, long at, CancellationToken cancellationToken)
        where T : class =>
        transaction.Connection.ExecuteAsync(transaction.Command(
            """
            INSERT INTO outbox (message_id, message_type, payload_json, created_at, next_attempt_at)
            VALUES (@MessageId, @MessageType, @Payload, @At, @At)
            ON CONFLICT (message_id) DO NOTHING
            """,
            new { MessageId = messageId.ToString(), MessageType = typeof(T).Name, Payload = StoreJson.Serialize(message), At = at },
            cancellationToken));

    public async Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var ids = (await transaction.Connection.QueryAsync<string>(transaction.Command(
            $"""
            UPDATE outbox SET lease_owner = @Owner, lease_until = @LeaseUntil, attempts = attempts + 1
            WHERE message_id IN (
                SELECT message_id FROM outbox
                WHERE sent_at IS NULL AND next_attempt_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY next_attempt_at
                LIMIT @Limit{transaction.Dialect.SkipLocked})
            RETURNING message_id
            """,
            new { Owner = owner, LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Now = now.ToUnixTimeMilliseconds(), Limit = maxCount },
            cancellationToken))).ToList();
        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }

        // Outcome events are built from the stored outcome and subscriber; operator events carry their body.
        var rows = await transaction.Connection.QueryAsync<Row>(transaction.Command(
            $"""
            SELECT o.message_id AS MessageId, o.message_type AS MessageType, o.payload_json AS PayloadJson, o.request_id AS RequestId,
                o.attempts AS Attempts,
                r.failure_reason AS FailureReason, r.result_json AS ResultJson, r.error_json AS ErrorJson,
                r.finished_at AS FinishedAt, r.noticed_at AS NoticedAt, r.trace_parent AS TraceParent,
                s.subscriber_id AS SubscriberId, s.correlation_id AS CorrelationId, s.partner_id AS PartnerId,
                s.webhook_url AS WebhookUrl, s.metadata_json AS MetadataJson, s.created_at AS SubscribedAt,
                s.cancelled_at AS CancelledAt
            FROM outbox o
            LEFT JOIN tracked_requests r ON r.request_id = o.request_id
            LEFT JOIN subscribers s ON s.subscriber_id = o.subscriber_id
            WHERE {transaction.Dialect.InIds("o.message_id")}
            ORDER BY o.next_attempt_at
            """,
            new { Ids = ids.ToArray() },
            cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. rows.Select(r => r.ToMessage())];
    }

    public async Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE outbox SET sent_at = @At, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE {connections.Dialect.InIds("message_id")}",
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
            new { MessageId = messageId.ToString(), RetryAt = retryAt.ToUnixTimeMilliseconds(), Error = StoredText.Error(error) },
            cancellationToken: cancellationToken));
    }

    public async Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND sent_at IS NULL",
            new { Owner = owner },
            cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return StoreTime.At(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND lease_owner IS NULL",
            cancellationToken: cancellationToken)));
    }

    public async Task<long> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL",
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyDictionary<string, long>> BacklogByTypeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string MessageType, long Count)>(new CommandDefinition(
            "SELECT message_type, COUNT(*) FROM outbox WHERE sent_at IS NULL GROUP BY message_type",
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.MessageType, r => r.Count, StringComparer.Ordinal);
    }

    private sealed class Row
    {
        public string MessageId { get; init; } = "";

        public string MessageType { get; init; } = "";

        public string? PayloadJson { get; init; }

        public string? RequestId { get; init; }

        public int Attempts { get; init; }

        public string? FailureReason { get; init; }

        public string? ResultJson { get; init; }

        public string? ErrorJson { get; init; }

        public long? FinishedAt { get; init; }

        public long? NoticedAt { get; init; }

        public string? TraceParent { get; init; }

        public string? SubscriberId { get; init; }

        public string? CorrelationId { get; init; }

        public string? PartnerId { get; init; }

        public string? WebhookUrl { get; init; }

        public string? MetadataJson { get; init; }

        public long SubscribedAt { get; init; }

        public long? CancelledAt { get; init; }

        public OutboxMessage ToMessage()
        {
            var messageId = Guid.Parse(MessageId);
            return new OutboxMessage(messageId, MessageType, Attempts, RequestId is null || SubscriberId is null ? null : ToPending(messageId), PayloadJson);
        }

        private PendingNotification ToPending(Guid messageId)
        {
            var noticedAt = StoreTime.At(NoticedAt ?? 0);
            var outcome = new TerminalOutcome(
                FailureReason is null ? null : Enum.Parse<Contracts.FailureReason>(FailureReason),
                StoreJson.Deserialize<BriaResult>(ResultJson),
                StoreJson.Deserialize<BriaError>(ErrorJson),
                StoreTime.At(FinishedAt) ?? noticedAt);
            var cancelledAt = StoreTime.At(CancelledAt);
            if (cancelledAt is not null)
            {
                // A subscriber that cancelled hears its own ending, whatever the request (maybe still polled for others) does.
                outcome = TerminalOutcome.Failed(Contracts.FailureReason.Cancelled, null, cancelledAt.Value);
                noticedAt = cancelledAt.Value;
            }

            var subscriber = new SubscriberView(
                SubscriberId!,
                CorrelationId,
                PartnerId,
                WebhookUrl is null ? null : new Uri(WebhookUrl),
                StoreJson.Deserialize<Dictionary<string, string>>(MetadataJson) ?? [],
                StoreTime.At(SubscribedAt),
                cancelledAt);
            return new PendingNotification(messageId, RequestId!, Attempts, outcome, noticedAt, subscriber, TraceParent);
        }
    }
}
