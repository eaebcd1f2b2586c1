using Bria.StatusBridge.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Hosting;

/// <summary>How the bridge registers its bus, read back from the service collection (no bus is started).</summary>
public sealed class BusRegistrationTests
{
    [Theory]
    [InlineData(BusTransport.InMemory)]
    [InlineData(BusTransport.RabbitMq)]
    public void The_bus_reports_no_usage_to_third_parties(BusTransport transport)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddBridgeBus(new BusOptions { Transport = transport, RabbitMqUri = new Uri("amqp://guest:guest@127.0.0.1:5672/") });
        using var provider = services.BuildServiceProvider();

        Assert.False(provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
