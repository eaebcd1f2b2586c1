using Bria.StatusBridge.Retention;

namespace Bria.StatusBridge.Persistence;

/// <summary>Retention of <c>tracked_requests</c> and <c>subscribers</c>: finished requests go with their subscribers
/// once past the horizon, never while an outcome event or a webhook message for them is still pending.</summary>
internal sealed partial class TrackingStore : IRetentionTarget
{
    public IReadOnlyList<RetentionKind> Kinds { get; } = [RetentionKind.FinishedRequests];

    public Task<int> PurgeAsync(RetentionKind kind, long horizon, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        PurgeBatch.RunAsync(
            connections,
            $"""
            SELECT r.request_id FROM tracked_requests r
            WHERE r.state <> 'Tracking' AND r.updated_at < @Horizon AND (r.lease_until IS NULL OR r.lease_until < @Now)
                AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.request_id = r.request_id AND o.sent_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.request_id = r.request_id AND d.state = 'Pending')
            ORDER BY r.updated_at
            LIMIT @Limit{connections.Dialect.SkipLocked}
            """,
            new { Horizon = horizon, Now = now.ToUnixTimeMilliseconds(), Limit = limit },
            [
                $"DELETE FROM subscribers WHERE {connections.Dialect.InIds("request_id")}",
                $"DELETE FROM tracked_requests WHERE {connections.Dialect.InIds("request_id")}",
            ],
            cancellationToken);

    public Task<DateTimeOffset?> OldestRetainedAsync(RetentionKind kind, CancellationToken cancellationToken) =>
        PurgeBatch.OldestAsync(connections, "SELECT MIN(updated_at) FROM tracked_requests WHERE state <> 'Tracking'", cancellationToken);
}
