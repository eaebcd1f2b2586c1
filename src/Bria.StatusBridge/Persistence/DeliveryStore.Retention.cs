using Bria.StatusBridge.Retention;

namespace Bria.StatusBridge.Persistence;

/// <summary>Retention of <c>webhook_deliveries</c> and <c>webhook_attempts</c>: delivered or failed messages go with
/// their attempts once past the horizon, and the receivers' answers on their attempts may go sooner. Pending (due,
/// retrying or leased) messages and their attempts are never touched.</summary>
internal sealed partial class DeliveryStore : IRetentionTarget
{
    public IReadOnlyList<RetentionKind> Kinds { get; } = [RetentionKind.AttemptAnswers, RetentionKind.Deliveries];

    public Task<int> PurgeAsync(RetentionKind kind, long horizon, DateTimeOffset now, int limit, CancellationToken cancellationToken) => kind switch
    {
        RetentionKind.Deliveries => PurgeBatch.RunAsync(
            connections,
            $"""
            SELECT delivery_id FROM webhook_deliveries
            WHERE state <> 'Pending' AND created_at < @Horizon AND (lease_until IS NULL OR lease_until < @Now)
            ORDER BY created_at
            LIMIT @Limit{connections.Dialect.SkipLocked}
            """,
            new { Horizon = horizon, Now = now.ToUnixTimeMilliseconds(), Limit = limit },
            [
                $"DELETE FROM webhook_attempts WHERE {connections.Dialect.InIds("delivery_id")}",
                $"DELETE FROM webhook_deliveries WHERE {connections.Dialect.InIds("delivery_id")}",
            ],
            cancellationToken),
        RetentionKind.AttemptAnswers => PurgeBatch.RunAsync(
            connections,
            $"""
            SELECT a.attempt_id FROM webhook_attempts a
            WHERE a.response_body IS NOT NULL AND a.attempted_at < @Horizon
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.delivery_id = a.delivery_id AND d.state = 'Pending')
            ORDER BY a.attempted_at
            LIMIT @Limit{connections.Dialect.SkipLocked}
            """,
            new { Horizon = horizon, Limit = limit },
            [$"UPDATE webhook_attempts SET response_body = NULL WHERE {connections.Dialect.InIds("attempt_id")}"],
            cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The delivery store keeps deliveries and attempt answers only."),
    };

    public Task<DateTimeOffset?> OldestRetainedAsync(RetentionKind kind, CancellationToken cancellationToken) =>
        PurgeBatch.OldestAsync(
            connections,
            kind == RetentionKind.Deliveries
                ? "SELECT MIN(created_at) FROM webhook_deliveries WHERE state <> 'Pending'"
                : "SELECT MIN(attempted_at) FROM webhook_attempts WHERE response_body IS NOT NULL",
            cancellationToken);
}
