using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>Registers the bridge: options, store, Bria client, bus, and the background loops.</summary>
public static class BridgeServiceCollectionExtensions
{
    /// <summary>Adds every service of the bridge to <paramref name="builder"/>.</summary>
    public static IHostApplicationBuilder AddBridge(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<PersistenceOptions>()
            .Bind(configuration.GetSection(PersistenceOptions.SectionName))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("StatusBridge") ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<PollingOptions>().Bind(configuration.GetSection(PollingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PollingOptions>, PollingOptionsValidator>();
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BusOptions>()
            .Bind(configuration.GetSection(BusOptions.SectionName))
            .Configure(o => o.RabbitMqUri = configuration.GetConnectionString("RabbitMq") is { Length: > 0 } uri ? new Uri(uri) : o.RabbitMqUri)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusOptions>, BusOptionsValidator>();

        // Migrations first: hosted services start in registration order.
        services.AddSingleton<IDbConnectionFactory, DbConnectionFactory>();
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrationHostedService>();
        services.AddSingleton<ITrackingStore, TrackingStore>();
        services.AddSingleton<IOutboxStore, OutboxStore>();

        services.AddBriaStatusClient(configuration);

        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<PollWakeSignal>();
        services.AddSingleton<OutboxWakeSignal>();
        services.AddSingleton<TrackRequestValidator>();
        services.AddSingleton<TrackingService>();
        services.AddSingleton<PollDecider>();
        services.AddSingleton<PollResultQueue>();
        services.AddSingleton<PollingEngine>();
        services.AddSingleton<OutboxDispatcher>();

        var bus = new BusOptions();
        configuration.GetSection(BusOptions.SectionName).Bind(bus);
        bus.RabbitMqUri = configuration.GetConnectionString("RabbitMq") is { Length: > 0 } rabbit ? new Uri(rabbit) : null;
        services.AddBridgeBus(bus);

        services.AddHostedService<PollResultWriter>();
        services.AddHostedService<LoopService<PollingEngine, PollWakeSignal>>();
        services.AddHostedService<LoopService<OutboxDispatcher, OutboxWakeSignal>>();
        services.AddWebhooks(configuration, builder.Environment);
        return builder;
    }
}
