using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Retention;

/// <summary>Registers retention: its options, the stores that purge their own tables, and the purge loop.</summary>
internal static class RetentionServiceCollectionExtensions
{
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>()
            .Bind(configuration.GetSection(RetentionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        // The stores are stateless over the connection factory: these instances purge, the registered ones serve.
        services.AddSingleton<IRetentionTarget, TrackingStore>();
        services.AddSingleton<IRetentionTarget, OutboxStore>();
        services.AddSingleton<IRetentionTarget, DeliveryStore>();
        services.AddSingleton<IRetentionTarget, EarlyWebhookStore>();
        services.AddSingleton<StorageSpace>();
        services.AddSingleton<RetentionMetrics>();
        services.AddSingleton<RetentionNotice>();
        services.AddSingleton<PurgeWakeSignal>();
        services.AddSingleton<PurgeLoop>();
        services.AddHostedService<LoopService<PurgeLoop, PurgeWakeSignal>>();
        return services;
    }
}
