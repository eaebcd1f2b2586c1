using MassTransit;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>The test's own MassTransit bus on a RabbitMQ virtual host, as another service would have: it publishes
/// commands and collects the outcome events on a uniquely named queue.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus, OutcomeCollector outcomes)
    {
        _bus = bus;
        Outcomes = outcomes;
    }

    /// <summary>The bus, for publishing.</summary>
    public IBus Bus => _bus;

    /// <summary>Every outcome event that reached the test's queue.</summary>
    public OutcomeCollector Outcomes { get; }

    /// <summary>Starts a bus on <paramref name="virtualHost"/> (an amqp URI with credentials) and subscribes to outcomes.</summary>
    public static async Task<TestBus> StartAsync(Uri virtualHost, CancellationToken cancellationToken = default)
    {
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(virtualHost));
        await bus.StartAsync(cancellationToken);
        try
        {
            return new TestBus(bus, await OutcomeCollector.ConnectAsync(bus, cancellationToken));
        }
        catch
        {
            await bus.StopAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Waits until the bus and its endpoints are connected to the broker (after a broker restart, say).</summary>
    public Task WaitUntilConnectedAsync(TimeSpan timeout) => Eventually.HoldsAsync(
        () => _bus.CheckHealth().Status == BusHealthStatus.Healthy,
        timeout,
        () => $"The test's bus did not reconnect within {timeout}: {_bus.CheckHealth().Description}");

    public async ValueTask DisposeAsync()
    {
        await Outcomes.DisposeAsync();
        await _bus.StopAsync(CancellationToken.None);
    }
}
