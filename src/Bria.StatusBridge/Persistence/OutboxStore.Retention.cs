using Bria.StatusBridge.Retention;

namespace Bria.StatusBridge.Persistence;

/// <summary>Retention of <c>outbox</c>: rows go once published and past the horizon; unsent rows never.</summary>
internal sealed partial class OutboxStore : IRetentionTarget
{
    public IReadOnlyList<RetentionKind> Kinds { get; } = [RetentionKind.SentOutbox];

    public Task<int> PurgeAsync(RetentionKind kind, long horizon, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        PurgeBatch.RunAsync(
            connections,
            $"""
            SELECT message_id FROM outbox
            WHERE sent_at IS NOT NULL AND sent_at < @Horizon
            ORDER BY sent_at
            LIMIT @Limit{connections.Dialect.SkipLocked}
            """,
            new { Horizon = horizon, Limit = limit },
            [$"DELETE FROM outbox WHERE {connections.Dialect.InIds("message_id")}"],
            cancellationToken);

    public Task<DateTimeOffset?> OldestRetainedAsync(RetentionKind kind, CancellationToken cancellationToken) =>
        PurgeBatch.OldestAsync(connections, "SELECT MIN(sent_at) FROM outbox WHERE sent_at IS NOT NULL", cancellationToken);
}
