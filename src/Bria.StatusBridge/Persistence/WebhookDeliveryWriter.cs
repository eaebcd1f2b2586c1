using System.Data.Common;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Creates the webhook messages of a terminal outcome inside the transaction that stores it: one per
/// matching enabled endpoint of each subscriber's partner, plus one per subscriber's own webhook URL.</summary>
internal static class WebhookDeliveryWriter
{
    /// <summary>For every subscriber of <paramref name="requestId"/> (or only <paramref name="subscriberId"/>).</summary>
    public static async Task<int> WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        string requestId,
        TerminalOutcome outcome,
        DateTimeOffset noticedAt,
        string? subscriberId,
        long at,
        CancellationToken cancellationToken)
    {
        var subscribers = (await connection.QueryAsync<SubscriberRow>(new CommandDefinition(
            """
            SELECT subscriber_id AS SubscriberId, correlation_id AS CorrelationId, partner_id AS PartnerId,
                webhook_url AS WebhookUrl, metadata_json AS MetadataJson, created_at AS CreatedAt
            FROM subscribers
            WHERE request_id = @RequestId AND ((@SubscriberId IS NULL AND cancelled_at IS NULL) OR subscriber_id = @SubscriberId)
            ORDER BY subscriber_id
            """,
            new { RequestId = requestId, SubscriberId = subscriberId },
            transaction,
            cancellationToken: cancellationToken))).ToList();
        if (subscribers.Count == 0)
        {
            return 0;
        }

        var eventType = WebhookPayload.EventType(outcome);
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(at);
        var endpointsByPartner = new Dictionary<string, IReadOnlyList<EndpointRow>>(StringComparer.Ordinal);
        var deliveries = new List<object>();
        foreach (var row in subscribers)
        {
            var subscriber = row.ToView();
            var payload = WebhookPayload.Create(requestId, subscriber, outcome, noticedAt, timestamp);
            if (subscriber.PartnerId is { } partnerId)
            {
                if (!endpointsByPartner.TryGetValue(partnerId, out var endpoints))
                {
                    endpoints = [.. await connection.QueryAsync<EndpointRow>(new CommandDefinition(
                        """
                        SELECT endpoint_id AS EndpointId, url AS Url, event_types AS EventTypes FROM webhook_endpoints
                        WHERE partner_id = @PartnerId AND disabled_at IS NULL
                        ORDER BY endpoint_id
                        """,
                        new { PartnerId = partnerId },
                        transaction,
                        cancellationToken: cancellationToken))];
                    endpointsByPartner[partnerId] = endpoints;
                }

                foreach (var endpoint in endpoints.Where(e => WebhookEventTypes.Matches(e.EventTypes, eventType)))
                {
                    deliveries.Add(Delivery(
                        WebhookDeliveryId.ForEndpoint(requestId, subscriber.SubscriberId, endpoint.EndpointId),
                        endpoint.EndpointId,
                        partnerId,
                        endpoint.Url,
                        WebhookDeliveryId.EndpointDestination(endpoint.EndpointId)));
                }
            }

            if (subscriber.WebhookUrl is { } url)
            {
                if (subscriber.PartnerId is { } owner)
                {
                    // The partner's own secret signs its per-request URLs; a partner created without one gets it now.
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE partners SET signing_secret = @Secret WHERE partner_id = @PartnerId AND signing_secret IS NULL",
                        new { PartnerId = owner, Secret = WebhookSecret.Generate() },
                        transaction,
                        cancellationToken: cancellationToken));
                }

                deliveries.Add(Delivery(
                    WebhookDeliveryId.ForUrl(requestId, subscriber.SubscriberId, url),
                    null,
                    subscriber.PartnerId,
                    url.ToString(),
                    WebhookDeliveryId.UrlDestination(url)));
            }

            object Delivery(string deliveryId, string? endpointId, string? partnerId, string target, string destination) => new
            {
                DeliveryId = deliveryId,
                EndpointId = endpointId,
                PartnerId = partnerId,
                Url = target,
                Destination = destination,
                RequestId = requestId,
                subscriber.SubscriberId,
                EventType = eventType,
                Payload = payload,
                State = nameof(DeliveryState.Pending),
                At = at,
            };
        }

        if (deliveries.Count == 0)
        {
            return 0;
        }

        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, url, destination, request_id, subscriber_id,
                event_type, payload, state, attempts, next_attempt_at, created_at)
            VALUES (@DeliveryId, @EndpointId, @PartnerId, @Url, @Destination, @RequestId, @SubscriberId,
                @EventType, @Payload, @State, 0, @At, @At)
            ON CONFLICT (delivery_id) DO NOTHING
            """,
            deliveries,
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>For a subscriber added after the request ended: the messages come from the stored outcome.</summary>
    public static async Task<int> WriteFromStoredOutcomeAsync(
        DbConnection connection,
        DbTransaction transaction,
        string requestId,
        string subscriberId,
        long at,
        CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleAsync<OutcomeRow>(new CommandDefinition(
            """
            SELECT failure_reason AS FailureReason, result_json AS ResultJson, error_json AS ErrorJson,
                finished_at AS FinishedAt, noticed_at AS NoticedAt
            FROM tracked_requests WHERE request_id = @RequestId
            """,
            new { RequestId = requestId },
            transaction,
            cancellationToken: cancellationToken));
        var noticedAt = DateTimeOffset.FromUnixTimeMilliseconds(stored.NoticedAt ?? at);
        var outcome = new TerminalOutcome(
            stored.FailureReason is null ? null : Enum.Parse<FailureReason>(stored.FailureReason),
            StoreJson.Deserialize<BriaResult>(stored.ResultJson),
            StoreJson.Deserialize<BriaError>(stored.ErrorJson),
            stored.FinishedAt is null ? noticedAt : DateTimeOffset.FromUnixTimeMilliseconds(stored.FinishedAt.Value));
        return await WriteAsync(connection, transaction, requestId, outcome, noticedAt, subscriberId, at, cancellationToken);
    }

    private sealed record EndpointRow(string EndpointId, string Url, string EventTypes);

    private sealed class OutcomeRow
    {
        public string? FailureReason { get; init; }

        public string? ResultJson { get; init; }

        public string? ErrorJson { get; init; }

        public long? FinishedAt { get; init; }

        public long? NoticedAt { get; init; }
    }
}
