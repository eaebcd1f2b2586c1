using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using MassTransit;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

public sealed class InMemoryEndToEndTests : IAsyncLifetime
{
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"statusbridge-{Guid.NewGuid():N}.db");
    private SimulatorHost _simulator = null!;
    private BridgeHost _bridge = null!;

    public async Task InitializeAsync()
    {
        _simulator = await SimulatorHost.StartAsync();
        var settings = BridgeHost.FastSettings(_simulator.BaseUrl, _simulator.ApiToken);
        settings["Persistence:Provider"] = "Sqlite";
        settings["ConnectionStrings:StatusBridge"] = $"Data Source={_databaseFile}";
        settings["Bus:Transport"] = "InMemory";
        _bridge = await BridgeHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _bridge.DisposeAsync();
        await _simulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databaseFile)!, Path.GetFileName(_databaseFile) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Completed_job_publishes_RequestCompleted_on_the_in_memory_bus_with_SQLite()
    {
        await using var collector = await OutcomeCollector.ConnectAsync(_bridge.Bus);
        _simulator.State.CreateJob(new JobSpec { RequestId = "mem-1", EndpointKind = JobKind.Image, DurationMs = 300, Outcome = JobOutcome.Completed });

        await _bridge.Bus.Publish(new TrackRequest { RequestId = "mem-1", CorrelationId = "c-1", Metadata = new Dictionary<string, string> { ["k"] = "v" } });
        await collector.WaitForAllAsync(["mem-1"], TimeSpan.FromSeconds(20));

        var outcome = Assert.Single(collector.For("mem-1"));
        Assert.NotNull(outcome.Completed);
        Assert.Equal("c-1", outcome.Completed.CorrelationId);
        Assert.Equal("v", outcome.Completed.Metadata["k"]);
        Assert.NotNull(outcome.Completed.Result.ImageUrl);
    }
}
