using System.Data.Common;
using Bria.StatusBridge.Persistence;
using Dapper;

namespace Bria.StatusBridge.IntegrationTests.Retention;

/// <summary>Writes rows of every state straight into the tables, at chosen times, so that a purge can be checked
/// against exactly what it may and may not remove.</summary>
internal sealed class HistorySeed(IDbConnectionFactory connections)
{
    public async Task RequestAsync(string requestId, string state, DateTimeOffset updatedAt, DateTimeOffset? leaseUntil = null, string? partnerId = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO tracked_requests (request_id, endpoint_kind, state, created_at, updated_at, deadline, next_poll_at, lease_owner, lease_until,
                finished_at, noticed_at, result_json)
            VALUES (@RequestId, 'Image', @State, @At, @At, @Deadline, @NextPoll, @Owner, @LeaseUntil, @Finished, @Finished, @Result);
            INSERT INTO subscribers (subscriber_id, request_id, correlation_id, partner_id, created_at)
            VALUES (@SubscriberId, @RequestId, 'c-1', @PartnerId, @At);
            """,
            new
            {
                RequestId = requestId,
                SubscriberId = "s-" + requestId,
                PartnerId = partnerId,
                State = state,
                At = updatedAt.ToUnixTimeMilliseconds(),
                Deadline = updatedAt.AddHours(1).ToUnixTimeMilliseconds(),
                NextPoll = state == "Tracking" ? updatedAt.ToUnixTimeMilliseconds() : (long?)null,
                Owner = leaseUntil is null ? null : "replica-x",
                LeaseUntil = leaseUntil?.ToUnixTimeMilliseconds(),
                Finished = state == "Tracking" ? (long?)null : updatedAt.ToUnixTimeMilliseconds(),
                Result = state == "Completed" ? """{"result":[{"urls":["https://example.com/x.png"]}]}""" : null,
            });
    }

    public async Task OutboxAsync(string messageId, string? requestId, DateTimeOffset createdAt, DateTimeOffset? sentAt)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO outbox (message_id, request_id, subscriber_id, message_type, created_at, next_attempt_at, sent_at)
            VALUES (@MessageId, @RequestId, @SubscriberId, 'RequestCompleted', @At, @At, @SentAt)
            """,
            new
            {
                MessageId = messageId,
                RequestId = requestId,
                SubscriberId = requestId is null ? null : "s-" + requestId,
                At = createdAt.ToUnixTimeMilliseconds(),
                SentAt = sentAt?.ToUnixTimeMilliseconds(),
            });
    }

    public async Task DeliveryAsync(
        string deliveryId, string? requestId, string state, DateTimeOffset createdAt, DateTimeOffset attemptedAt,
        DateTimeOffset? leaseUntil = null, string? partnerId = null, int payloadBytes = 100)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_deliveries (delivery_id, partner_id, url, destination, request_id, event_type, payload, state, attempts,
                next_attempt_at, lease_owner, lease_until, created_at, delivered_at, last_status)
            VALUES (@DeliveryId, @PartnerId, 'https://example.com/hook', 'url:https://example.com:443', @RequestId, 'request.completed', @Payload,
                @State, 1, @NextAttempt, @Owner, @LeaseUntil, @CreatedAt, @DeliveredAt, 200);
            INSERT INTO webhook_attempts (attempt_id, delivery_id, attempt, attempted_at, status_code, latency_ms, response_body)
            VALUES (@AttemptId, @DeliveryId, 1, @AttemptedAt, 500, 12, @Answer);
            """,
            new
            {
                DeliveryId = deliveryId,
                AttemptId = "a-" + deliveryId,
                PartnerId = partnerId,
                RequestId = requestId,
                Payload = new string('p', payloadBytes),
                State = state,
                NextAttempt = state == "Pending" ? attemptedAt.AddMinutes(5).ToUnixTimeMilliseconds() : (long?)null,
                Owner = leaseUntil is null ? null : "replica-x",
                LeaseUntil = leaseUntil?.ToUnixTimeMilliseconds(),
                CreatedAt = createdAt.ToUnixTimeMilliseconds(),
                DeliveredAt = state == "Delivered" ? attemptedAt.ToUnixTimeMilliseconds() : (long?)null,
                AttemptedAt = attemptedAt.ToUnixTimeMilliseconds(),
                Answer = new string('a', Math.Min(payloadBytes, 20_480)),
            });
    }

    public async Task<IReadOnlyList<string>> IdsAsync(string sql)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return [.. (await connection.QueryAsync<string>(sql)).Order(StringComparer.Ordinal)];
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    /// <summary>Opens a connection of its own (for holding locks as another replica would).</summary>
    public Task<DbConnection> OpenAsync() => connections.OpenAsync(CancellationToken.None);
}
