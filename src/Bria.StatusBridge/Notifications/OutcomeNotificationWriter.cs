using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Notifications;

/// <summary>Queues everything a terminal outcome owes its subscribers, inside the transaction that stores it: one
/// outcome event per subscriber in the outbox, and one webhook message per matching enabled endpoint of each
/// subscriber's partner plus one per subscriber's own webhook URL. Each table is written by its own store. Once the
/// transaction commits, it raises the <see cref="OutcomeSignal"/>; status streams hear it through the
/// <see cref="RequestChangeNotifier"/>.</summary>
internal sealed class OutcomeNotificationWriter(
    IOutboxStore outbox, IDeliveryStore deliveries, IEndpointStore endpoints, IPartnerStore partners, OutcomeSignal signal,
    RequestChangeNotifier changes)
{
    public async Task QueueAsync(
        StoreTransaction transaction,
        string requestId,
        TerminalOutcome outcome,
        DateTimeOffset noticedAt,
        IReadOnlyList<SubscriberView> subscribers,
        long at,
        CancellationToken cancellationToken)
    {
        // Status streams watch the request itself, whoever else is notified.
        await changes.NotifyAsync(transaction, [requestId], cancellationToken);
        if (subscribers.Count == 0)
        {
            return;
        }

        transaction.AfterCommit(() => signal.Stored(new OutcomeStored(requestId)));
        await outbox.EnqueueOutcomesAsync(transaction, requestId, outcome.State, [.. subscribers.Select(s => s.SubscriberId)], at, cancellationToken);

        var eventType = WebhookPayload.EventType(outcome);
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(at);
        var endpointsByPartner = new Dictionary<string, IReadOnlyList<EndpointTarget>>(StringComparer.Ordinal);
        var messages = new List<NewDelivery>();
        foreach (var subscriber in subscribers.OrderBy(s => s.SubscriberId, StringComparer.Ordinal))
        {
            var payload = WebhookPayload.Create(requestId, subscriber, outcome, noticedAt, timestamp);
            if (subscriber.PartnerId is { } partnerId)
            {
                if (!endpointsByPartner.TryGetValue(partnerId, out var targets))
                {
                    targets = await endpoints.ListEnabledAsync(transaction, partnerId, cancellationToken);
                    endpointsByPartner[partnerId] = targets;
                }

                messages.AddRange(targets
                    .Where(e => WebhookEventTypes.Matches(e.EventTypes, eventType))
                    .Select(e => Message(WebhookDeliveryId.ForEndpoint(requestId, subscriber.SubscriberId, e.EndpointId), e.EndpointId, e.Url, WebhookDeliveryId.EndpointDestination(e.EndpointId))));
            }

            if (subscriber.WebhookUrl is { } url)
            {
                if (subscriber.PartnerId is { } owner)
                {
                    // The partner's own secret signs its per-request URLs; a partner created without one gets it now.
                    await partners.EnsureSigningSecretAsync(transaction, owner, cancellationToken);
                }

                messages.Add(Message(WebhookDeliveryId.ForUrl(requestId, subscriber.SubscriberId, url), null, url.ToString(), WebhookDeliveryId.UrlDestination(url)));
            }

            NewDelivery Message(string deliveryId, string? endpointId, string target, string destination) =>
                new(deliveryId, endpointId, subscriber.PartnerId, target, destination, requestId, subscriber.SubscriberId, eventType, payload);
        }

        await deliveries.InsertAsync(transaction, messages, at, cancellationToken);
    }
}
