using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Polling;
using Xunit.Abstractions;

namespace Bria.StatusBridge.IntegrationTests.Scale;

/// <summary>Two bridge processes on one PostgreSQL database and one RabbitMQ virtual host, told apart by the
/// <c>User-Agent</c> of their status calls.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class TwoReplicasTests(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Requests = 600;

    private static readonly KindSchedule Schedule = new()
    {
        Mode = PollMode.Fixed,
        FirstDelay = TimeSpan.FromMilliseconds(500),
        Interval = TimeSpan.FromMilliseconds(400),
        Growth = 1.5,
        Ceiling = TimeSpan.FromSeconds(1),
        Jitter = 0.2,
    };

    [Fact]
    public async Task Two_replicas_share_the_work_and_never_poll_one_request_at_the_same_time()
    {
        // 12,000 calls a minute: enough that both replicas poll freely and race for the same due requests.
        await using var scenario = await BridgeScenario.CreateAsync(rabbit, postgres, Schedule, requestsPerMinute: 12_000);
        await scenario.StartBridgeAsync("replica-a");
        await scenario.StartBridgeAsync("replica-b");
        var (ids, failing) = scenario.CreateJobs("pair", Requests, maxDurationMs: 4000, errorEvery: 9, seed: 600);

        await scenario.PublishAsync(ids);
        await scenario.WaitForAllOutcomesAsync(ids, TimeSpan.FromSeconds(90));

        var duplicates = scenario.AssertOneOutcomeEach(ids, failing);
        var stats = scenario.Simulator.State.GetStats();
        var trackedAt = await StoreQueries.TrackedAtAsync(scenario.Provider, scenario.ConnectionString);
        Assert.Equal(0, stats.RateLimited);
        Assert.Equal(0, stats.ServerErrors);

        var calls = ids.SelectMany(id => stats.Requests[id].Callers).ToList();
        var shares = calls.GroupBy(c => c ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{Requests} requests, {calls.Count} status calls, {duplicates} duplicate events");
        foreach (var (caller, count) in shares)
        {
            output.WriteLine($"  {caller}: {count} calls ({100.0 * count / calls.Count:F1}%)");
        }

        Assert.Equal(2, shares.Count);
        Assert.All(shares.Keys, caller => Assert.StartsWith("Bria.StatusBridge/", caller, StringComparison.Ordinal));
        Assert.All(shares.Values, count => Assert.True(count >= calls.Count / 5, $"one replica made only {count} of {calls.Count} calls"));

        var mixed = ids.Count(id => stats.Requests[id].Callers.Distinct().Count() > 1);
        output.WriteLine($"  {mixed} requests were polled by both replicas, one after the other");
        var early = PollingAudit.ScheduleViolations(stats, trackedAt, Schedule);
        Assert.True(early.Count == 0, $"{early.Count} calls came earlier than the schedule allows (a double poll):\n{string.Join('\n', early.Take(20))}");
        var late = PollingAudit.CallsAfterTerminalRead(stats, ids);
        Assert.True(late.Count == 0, $"{late.Count} requests were polled after their outcome was read:\n{string.Join('\n', late.Take(20))}");
    }
}
