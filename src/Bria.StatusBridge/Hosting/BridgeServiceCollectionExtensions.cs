using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Retention;
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

        services.AddOptions<PollingOptions>().Bind(configuration.GetSection(PollingOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PollingOptions>, PollingOptionsValidator>();
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BusOptions>()
            .Configure(o => BindBus(configuration, o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BusOptions>, BusOptionsValidator>();
        services.AddOptions<OutageOptions>().Bind(configuration.GetSection(OutageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutageMetrics>();
        services.AddSingleton<Outages>();
        services.AddSingleton<StoreGate>();

        // Migrations first: hosted services start in registration order.
        services.AddPersistence(configuration);

        services.AddBriaStatusClient(configuration);

        services.TryAddSingleton<ReplicaIdentity>();
        // After the migrations (registered above), before the bus and the loops: they lease under the replica's name.
        services.AddSingleton<ReplicaIdentityClaim>();
        services.AddHostedService(provider => provider.GetRequiredService<ReplicaIdentityClaim>());
        services.AddSingleton<PollWakeSignal>();
        services.AddSingleton<OutboxWakeSignal>();
        services.AddSingleton<TrackRequestValidator>();
        services.AddSingleton<TrackingService>();
        services.AddBriaPush();
        services.AddSingleton<DurationLearning>();
        services.AddSingleton(provider =>
        {
            var polling = provider.GetRequiredService<IOptions<PollingOptions>>().Value;
            return PollPace.For(polling.Learning.MinInterval, polling.BudgetWindow, BudgetPolicy.FromRequestsPerWindow(polling.RequestsPerMinute, polling.BudgetWindow));
        });
        services.AddSingleton<LearnedPollSchedule>();
        services.AddSingleton<PollLearningMetrics>();
        services.AddSingleton<DurationLearningWakeSignal>();
        services.AddSingleton<DurationLearningLoop>();
        services.AddSingleton(provider => new PollDecider(
            provider.GetRequiredService<IOptions<PollingOptions>>(), null, provider.GetRequiredService<LearnedPollSchedule>()));
        services.AddSingleton<PollResultQueue>();
        services.AddSingleton<PollingEngine>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<OutcomeNotificationWriter>();
        services.AddSingleton<OutcomeSignal>();
        services.AddSingleton<RequestChangeNotifier>();
        services.AddSingleton<IOutcomeStoredListener>(provider => provider.GetRequiredService<OutboxWakeSignal>());

        // The transport decides what MassTransit registers, so it is read now, the same way the options are bound.
        var bus = new BusOptions();
        try
        {
            BindBus(configuration, bus);
        }
        catch (InvalidOperationException)
        {
            // An unreadable value: the start-up configuration check names the key, with every other bad key.
        }

        services.AddBridgeBus(bus);

        builder.AddBridgeOperations();

        // Hosts stop services in reverse order: the learning loop stops after the polls, and writes what they observed.
        services.AddHostedService<LoopService<DurationLearningLoop, DurationLearningWakeSignal>>();
        services.AddHostedService<PollResultWriter>();
        services.AddHostedService<LoopService<PollingEngine, PollWakeSignal>>();
        services.AddHostedService<LoopService<OutboxDispatcher, OutboxWakeSignal>>();
        services.AddWebhooks(configuration, builder.Environment);
        services.AddRetention(configuration);
        return builder;
    }

    private static void BindBus(IConfiguration configuration, BusOptions options)
    {
        configuration.GetSection(BusOptions.SectionName).Bind(options);
        // An unreadable URI stays unset: the validator then says which key to fix instead of a bare UriFormatException.
        if (configuration.GetConnectionString("RabbitMq") is { Length: > 0 } text)
        {
            options.RabbitMqUri = Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
        }
    }
}
