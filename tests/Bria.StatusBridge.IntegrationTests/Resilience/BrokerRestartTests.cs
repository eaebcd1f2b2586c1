using System.Net;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Polling;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Resilience;

/// <summary>The fault suite's broker restart: the bridge (a separate process) on a private RabbitMQ node that is really
/// stopped and started while requests are in flight, not a proxy cut in front of the shared broker. In the RabbitMQ
/// collection so that it runs alone, like the rest of the fault suite.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BrokerRestartTests(PrivateRabbitMqNode broker, PostgresFixture postgres, ITestOutputHelper output)
    : IClassFixture<PrivateRabbitMqNode>, IClassFixture<PostgresFixture>
{
    private const string BusHealthy = "\"masstransit-bus\":{\"status\":\"Healthy\"";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_broker_node_stopped_and_started_mid_flight_loses_no_command_notifies_every_subscriber_once_and_readiness_names_the_bus()
    {
        await using var scenario = await BridgeScenario.CreateAsync(broker.Uri, postgres, OutageTests.Schedule, requestsPerMinute: 3000);
        scenario.Settings["Notifications:RetryCeiling"] = "00:00:02";
        var bridge = await scenario.StartBridgeAsync("node-restart");
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.OK, Patience, BusHealthy);
        // Jobs of up to 20 s: most are still being polled when the node stops, however slowly a busy machine gets there.
        var (ids, failing) = scenario.CreateJobs("node", 120, maxDurationMs: 20_000, errorEvery: 7, seed: 24);
        var before = ids.Take(80).ToList();
        var after = ids.Skip(80).ToList();
        await scenario.PublishAsync(before);
        await Eventually.HoldsAsync(() => scenario.Answered().Count >= 10, Patience, () => $"No outcomes before the broker stopped.\n{bridge.Tail()}");

        await broker.StopAppAsync();
        var inFlight = await scenario.ScalarAsync("SELECT COUNT(*) FROM tracked_requests WHERE state = 'Tracking'");
        Assert.True(inFlight >= 10, $"only {inFlight} requests were in flight when the node stopped: nothing was proved");
        var down = await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.ServiceUnavailable, Patience, "\"database\":{\"status\":\"Healthy\"");
        Assert.Matches("\"masstransit-bus\":\\{\"status\":\"(Degraded|Unhealthy)\"", down);
        // Polling goes on without the broker: the requests that end meanwhile wait in the outbox.
        await Eventually.HoldsAsync(
            async () => await scenario.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") >= 10,
            Patience,
            () => $"Ten outcomes never waited in the outbox while the broker was down.\n{bridge.Tail()}");
        var answeredBeforeRestart = scenario.Answered().Count;
        var waitingAtRestart = await scenario.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL");

        await broker.StartAppAsync();
        await Readiness.WaitForAsync(bridge.BaseUrl!, HttpStatusCode.OK, TimeSpan.FromSeconds(60), BusHealthy);
        // The producer (the test's bus) reconnects by itself too; commands are published once it has.
        await scenario.Bus.WaitUntilConnectedAsync(TimeSpan.FromSeconds(60));
        await scenario.PublishAsync(after);
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        Assert.Equal(ids.Count, await scenario.ScalarAsync("SELECT COUNT(*) FROM tracked_requests WHERE request_id LIKE 'node-%'"));
        Assert.Equal(1, bridge.CountLines("Outage of bus began"));
        Assert.Equal(1, bridge.CountLines("Outage of bus ended"));
        output.WriteLine($"{before.Count} commands before the node stopped ({inFlight} in flight at the stop), {after.Count} after it started again; {answeredBeforeRestart} answered " +
            $"and {waitingAtRestart} events waiting in the outbox at the restart; all {ids.Count} answered after; {duplicates} duplicates (same MessageId)");
    }
}
