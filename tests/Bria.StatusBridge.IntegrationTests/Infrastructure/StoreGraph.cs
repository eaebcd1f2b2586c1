using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>The stores wired to each other as the service wires them, without a host: a tracking store whose outcomes
/// queue their notifications through the outbox, endpoint, partner and delivery stores.</summary>
internal static class StoreGraph
{
    public static TrackingStore Tracking(IDbConnectionFactory connections, params IOutcomeStoredListener[] listeners)
    {
        var changes = new RequestChangeNotifier([], new ReplicaIdentity(MsOptions.Create(new PollingOptions())), NullLogger<RequestChangeNotifier>.Instance);
        return new(
            connections,
            new OutcomeNotificationWriter(
                new OutboxStore(connections),
                new DeliveryStore(connections),
                new EndpointStore(connections, MsOptions.Create(new WebhookOptions())),
                new PartnerStore(connections, MsOptions.Create(new WebhookOptions())),
                new OutcomeSignal(listeners, NullLogger<OutcomeSignal>.Instance),
                changes),
            changes);
    }
}
