using Bria.StatusBridge.Tracking;
using MassTransit;

namespace Bria.StatusBridge.Hosting;

/// <summary>MassTransit on RabbitMQ or in memory, with the <c>track-request</c> endpoint.</summary>
internal static class BusRegistration
{
    public static IServiceCollection AddBridgeBus(this IServiceCollection services, BusOptions bus)
    {
        services.AddMassTransit(x =>
        {
            // MassTransit 8.5 reports usage (versions, operating system, time zone, bus shape) to its vendor every
            // few minutes unless told not to: a deployed bridge sends nothing to third parties, and without a way out
            // each attempt logs a warning with a stack trace.
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.AddConsumer<TrackRequestConsumer, TrackRequestConsumerDefinition>();
            x.AddReceiveEndpointObserver<BusOutageObserver>();
            if (bus.Transport == BusTransport.RabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(bus.RabbitMqUri!);
                    ConfigureSerializer(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    ConfigureSerializer(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            // A broker that cannot be reached fails the start instead of leaving a bridge that accepts nothing.
            options.WaitUntilStarted = true;
            options.StartTimeout = bus.StartTimeout;
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }

    private static void ConfigureSerializer(IBusFactoryConfigurator cfg) =>
        cfg.ConfigureJsonSerializerOptions(options =>
        {
            if (!options.Converters.OfType<TrackRequestJsonConverter>().Any())
            {
                options.Converters.Add(new TrackRequestJsonConverter());
            }

            return options;
        });
}
