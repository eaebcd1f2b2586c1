using Bria.StatusBridge.Webhooks;
using Dapper;

namespace Bria.StatusBridge.Persistence;

internal sealed class OperatorEventStore(IDbConnectionFactory connections) : IOperatorEventStore
{
    public async Task<IReadOnlyList<PendingOperatorEvent>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var skipLocked = connections.Dialect.SkipLocked;
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            UPDATE operator_events SET lease_owner = @Owner, lease_until = @LeaseUntil, attempts = attempts + 1
            WHERE message_id IN (
                SELECT message_id FROM operator_events
                WHERE sent_at IS NULL AND next_attempt_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY next_attempt_at
                LIMIT @Limit{skipLocked})
            RETURNING message_id AS MessageId, message_type AS MessageType, payload_json AS PayloadJson, attempts AS Attempts
            """,
            new { Owner = owner, LeaseUntil = (now + lease).ToUnixTimeMilliseconds(), Now = now.ToUnixTimeMilliseconds(), Limit = maxCount },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PendingOperatorEvent(Guid.Parse(r.MessageId), r.MessageType, r.PayloadJson, r.Attempts))];
    }

    public async Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0)
        {
            return;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var inIds = connections.Dialect.InIds("message_id");
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE operator_events SET sent_at = @At, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE {inIds}",
            new { At = now.ToUnixTimeMilliseconds(), Ids = messageIds.Select(i => i.ToString()).ToArray() },
            cancellationToken: cancellationToken));
    }

    public async Task MarkFailedAsync(Guid messageId, DateTimeOffset retryAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE operator_events SET next_attempt_at = @RetryAt, lease_owner = NULL, lease_until = NULL, last_error = @Error
            WHERE message_id = @MessageId AND sent_at IS NULL
            """,
            new { MessageId = messageId.ToString(), RetryAt = retryAt.ToUnixTimeMilliseconds(), Error = error.Length > 2000 ? error[..2000] : error },
            cancellationToken: cancellationToken));
    }

    public async Task<long> BacklogAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM operator_events WHERE sent_at IS NULL",
            cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM operator_events WHERE sent_at IS NULL AND lease_owner IS NULL",
            cancellationToken: cancellationToken));
        return next is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(next.Value);
    }

    private sealed class Row
    {
        public string MessageId { get; init; } = "";

        public string MessageType { get; init; } = "";

        public string PayloadJson { get; init; } = "";

        public int Attempts { get; init; }
    }
}
