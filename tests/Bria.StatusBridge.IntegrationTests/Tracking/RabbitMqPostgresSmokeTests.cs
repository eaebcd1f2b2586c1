using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class RabbitMqPostgresSmokeTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Failed_job_publishes_RequestFailed_through_RabbitMQ_with_PostgreSQL()
    {
        await using var simulator = await SimulatorHost.StartAsync();
        var settings = BridgeHost.ServerSettings(simulator, await postgres.CreateDatabaseAsync(), await rabbit.CreateVirtualHostAsync());
        await using var bridge = await BridgeHost.StartAsync(settings);
        await using var collector = await OutcomeCollector.ConnectAsync(bridge.Bus);
        simulator.State.CreateJob(new JobSpec { RequestId = "pg-err-1", DurationMs = 200, Outcome = JobOutcome.Error });

        await bridge.Bus.Publish(new TrackRequest { RequestId = "pg-err-1", CorrelationId = "c-9" });
        await collector.WaitForAllAsync(["pg-err-1"], TimeSpan.FromSeconds(30));

        var outcome = Assert.Single(collector.For("pg-err-1"));
        Assert.NotNull(outcome.Failed);
        Assert.Equal(FailureReason.Error, outcome.Failed.Reason);
        Assert.Equal("422", outcome.Failed.Error?.Code);
        Assert.Equal("c-9", outcome.Failed.CorrelationId);
    }
}
