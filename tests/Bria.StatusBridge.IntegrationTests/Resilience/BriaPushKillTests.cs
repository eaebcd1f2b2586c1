using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator.Webhooks;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Resilience;

/// <summary>The bridge process is killed (SIGKILL) while Bria's webhooks pour in, some of them mid-transaction, and
/// started again on the same store and broker behind the same address: Bria's retries then end every request exactly
/// once, and the safety schedule (set past the test's end) never has to poll.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class BriaPushKillTests(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Requests = 200;

    [Fact]
    public async Task Every_pushed_request_ends_once_after_the_bridge_is_killed_while_storing_webhooks()
    {
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, new KindSchedule(), requestsPerMinute: 3000);
        scenario.Settings["Polling:PushSafety:Image:FirstDelay"] = "00:30:00";
        scenario.Settings["Polling:PushSafety:Image:Interval"] = "00:30:00";
        scenario.Settings["Polling:PushSafety:Image:Ceiling"] = "00:30:00";
        var first = await scenario.StartBridgeAsync("push-before-kill");
        // Bria reaches the bridge through one address, as it would through a load balancer; the restarted process
        // listens elsewhere and the address follows it.
        await using var address = new SwitchableTcpProxy("127.0.0.1", first.BaseUrl!.Port);
        scenario.Simulator.State.SetWebhookSettings(new WebhookSettings { BackoffMs = 300, MaxAttempts = 30, TimeoutMs = 5_000 });
        var webhookUrl = new Uri($"http://127.0.0.1:{address.Port}/v1/bria/webhooks");
        var random = new Random(900);
        var ids = new List<string>();
        var failing = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Requests; i++)
        {
            var id = $"push-kill-{i:D4}-{Guid.NewGuid():N}";
            var fails = i % 7 == 0;
            scenario.Simulator.State.CreateJob(new JobSpec
            {
                RequestId = id, EndpointKind = JobKind.Image, DurationMs = random.Next(0, 5_000),
                Outcome = fails ? JobOutcome.Error : JobOutcome.Completed, WebhookUrl = webhookUrl,
            });
            ids.Add(id);
            if (fails)
            {
                failing.Add(id);
            }
        }

        foreach (var chunk in ids.Chunk(50))
        {
            await Task.WhenAll(chunk.Select(id => scenario.Bus.Bus.Publish(
                new TrackRequest { RequestId = id, CorrelationId = "c-" + id, EndpointKind = EndpointKind.Image, BriaPushes = true })));
        }

        var someDone = await Eventually.WithinAsync(() => scenario.Answered().Count >= Requests / 5, TimeSpan.FromSeconds(60));
        Assert.True(someDone, $"No outcomes before the kill.\n{first.Tail()}");
        await first.KillAsync();
        var answeredBeforeKill = scenario.Answered().Count;
        Assert.True(answeredBeforeKill < Requests * 0.8, $"{answeredBeforeKill} of {Requests} requests had ended before the kill: too few in flight to prove anything");

        var second = await scenario.StartBridgeAsync("push-after-kill");
        address.Retarget(second.BaseUrl!.Port);
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(120));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        Assert.Equal(0, await StoreQueries.ScalarAsync(scenario.Provider, scenario.ConnectionString, "SELECT COUNT(*) FROM tracked_requests WHERE state = 'Tracking'"));
        Assert.Equal(Requests, await StoreQueries.ScalarAsync(scenario.Provider, scenario.ConnectionString, "SELECT COUNT(*) FROM outbox"));
        var stats = scenario.Simulator.State.GetStats();
        Assert.Equal(0, stats.Requests.Where(r => ids.Contains(r.Key)).Sum(r => r.Value.Count));
        Assert.True(stats.Webhooks.Failed > 0, "No webhook attempt failed: the kill did not interrupt any delivery.");
        output.WriteLine($"killed with {answeredBeforeKill} of {Requests} answered; after restart all answered with no status call; " +
            $"webhooks sent {stats.Webhooks.Sent}, delivered {stats.Webhooks.Delivered}, failed attempts {stats.Webhooks.Failed}, lost {stats.Webhooks.Lost}; " +
            $"{duplicates} duplicate events (same MessageId)");
    }
}
