using Bria.StatusBridge.BriaPush;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Early Bria webhooks (<c>early_bria_webhooks</c>): the only writer of the table.</summary>
internal sealed partial class EarlyWebhookStore(IDbConnectionFactory connections) : IEarlyWebhookStore
{
    public async Task<int> KeepAsync(EarlyWebhook webhook, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var connection = transaction.Connection;

        // Bria delivers at least once: a duplicate or a later hint never replaces a terminal body.
        await connection.ExecuteAsync(transaction.Command(
            """
            INSERT INTO early_bria_webhooks (request_id, received_at, terminal, body)
            VALUES (@RequestId, @ReceivedAt, @Terminal, @Body)
            ON CONFLICT (request_id) DO UPDATE SET received_at = excluded.received_at, terminal = excluded.terminal, body = excluded.body
            WHERE early_bria_webhooks.terminal = 0
            """,
            new { webhook.RequestId, ReceivedAt = webhook.ReceivedAt.ToUnixTimeMilliseconds(), Terminal = webhook.Terminal ? 1 : 0, webhook.Body },
            cancellationToken));

        var excess = await connection.ExecuteScalarAsync<long>(transaction.Command(
            "SELECT COUNT(*) FROM early_bria_webhooks", null, cancellationToken)) - limit;
        var dropped = 0;
        if (excess > 0)
        {
            // Oldest first: a webhook that has waited longest is the least likely to meet its TrackRequest.
            dropped = await connection.ExecuteAsync(transaction.Command(
                """
                DELETE FROM early_bria_webhooks WHERE request_id IN (
                    SELECT request_id FROM early_bria_webhooks ORDER BY received_at, request_id LIMIT @Excess)
                """,
                new { Excess = excess },
                cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return dropped;
    }

    public async Task<bool> HasAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM early_bria_webhooks WHERE request_id = @RequestId",
            new { RequestId = requestId },
            cancellationToken: cancellationToken)) > 0;
    }

    public async Task<EarlyWebhook?> TakeAsync(StoreTransaction transaction, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var row = await transaction.Connection.QuerySingleOrDefaultAsync<EarlyRow>(transaction.Command(
            """
            DELETE FROM early_bria_webhooks WHERE request_id = @RequestId
            RETURNING request_id AS RequestId, received_at AS ReceivedAt, terminal AS Terminal, body AS Body
            """,
            new { RequestId = requestId },
            cancellationToken));
        return row is null ? null : new EarlyWebhook(row.RequestId, StoreTime.At(row.ReceivedAt), row.Terminal != 0, row.Body);
    }

    private sealed class EarlyRow
    {
        public string RequestId { get; init; } = "";

        public long ReceivedAt { get; init; }

        public long Terminal { get; init; }

        public string Body { get; init; } = "";
    }
}
