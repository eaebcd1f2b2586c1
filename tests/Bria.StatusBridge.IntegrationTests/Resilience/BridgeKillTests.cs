using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Polling;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Resilience;

/// <summary>The bridge process is killed (SIGKILL) while requests are in flight and started again on the same store and
/// broker: nothing is lost, and any event published twice carries the same MessageId.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BridgeKillTests(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Requests = 300;

    private static readonly KindSchedule Schedule = new()
    {
        Mode = PollMode.Fixed,
        FirstDelay = TimeSpan.FromMilliseconds(500),
        Interval = TimeSpan.FromMilliseconds(500),
        Growth = 1.5,
        Ceiling = TimeSpan.FromSeconds(1),
        Jitter = 0.1,
    };

    [Fact]
    public Task Every_request_gets_its_event_after_the_bridge_is_killed_and_restarted_on_PostgreSQL() => RunAsync(postgres);

    [Fact]
    public Task Every_request_gets_its_event_after_the_bridge_is_killed_and_restarted_on_SQLite() => RunAsync(null);

    private async Task RunAsync(PostgresFixture? store)
    {
        // 3,000 calls a minute: the requests finish over several seconds, so the kill finds many of them mid-poll.
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, store, Schedule, requestsPerMinute: 3000);
        var first = await scenario.StartBridgeAsync("before-kill");
        var (ids, failing) = scenario.CreateJobs("kill", Requests, maxDurationMs: 6000, errorEvery: 7, seed: 300);

        await scenario.PublishAsync(ids);
        var someDone = await Eventually.WithinAsync(() => scenario.Answered().Count >= Requests / 5, TimeSpan.FromSeconds(60));
        Assert.True(someDone, $"No outcomes before the kill.\n{first.Tail()}");
        await first.KillAsync();
        var answeredBeforeKill = scenario.Answered().Count;
        var receivedBeforeKill = scenario.Bus.Outcomes.Received.Count;
        Assert.True(answeredBeforeKill < Requests * 0.8, $"{answeredBeforeKill} of {Requests} requests had ended before the kill: too few in flight to prove anything");

        await scenario.StartBridgeAsync("after-kill");
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        var stillTracking = await StoreQueries.ScalarAsync(scenario.Provider, scenario.ConnectionString, "SELECT COUNT(*) FROM tracked_requests WHERE state = 'Tracking'");
        Assert.Equal(0, stillTracking);
        var stats = scenario.Simulator.State.GetStats();
        var repolled = PollingAudit.CallsAfterTerminalRead(stats, ids).Count;
        output.WriteLine($"{scenario.Provider}: killed with {answeredBeforeKill} of {Requests} answered ({receivedBeforeKill} events received); " +
            $"after restart all answered; {scenario.Bus.Outcomes.Received.Count} events in all, {duplicates} duplicates (same MessageId); " +
            $"{repolled} requests polled again after a terminal answer the killed process had not stored");
    }
}
