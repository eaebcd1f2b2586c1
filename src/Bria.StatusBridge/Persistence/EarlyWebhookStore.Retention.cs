using Bria.StatusBridge.Retention;

namespace Bria.StatusBridge.Persistence;

/// <summary>Retention of <c>early_bria_webhooks</c>: a webhook whose request was never tracked goes once older than
/// <c>Retention:EarlyWebhooks</c> (default 1 hour).</summary>
internal sealed partial class EarlyWebhookStore : IRetentionTarget
{
    public IReadOnlyList<RetentionKind> Kinds { get; } = [RetentionKind.EarlyWebhooks];

    public Task<int> PurgeAsync(RetentionKind kind, long horizon, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        PurgeBatch.RunAsync(
            connections,
            $"""
            SELECT request_id FROM early_bria_webhooks WHERE received_at < @Horizon
            ORDER BY received_at
            LIMIT @Limit{connections.Dialect.SkipLocked}
            """,
            new { Horizon = horizon, Limit = limit },
            [$"DELETE FROM early_bria_webhooks WHERE {connections.Dialect.InIds("request_id")}"],
            cancellationToken);

    public Task<DateTimeOffset?> OldestRetainedAsync(RetentionKind kind, CancellationToken cancellationToken) =>
        PurgeBatch.OldestAsync(connections, "SELECT MIN(received_at) FROM early_bria_webhooks", cancellationToken);
}
