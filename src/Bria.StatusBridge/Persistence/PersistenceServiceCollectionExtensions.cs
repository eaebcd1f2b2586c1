using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Persistence;

/// <summary>Registers the store: its options, the connection factory (which fixes the dialect), the migrations, and
/// one store per table or aggregate.</summary>
internal static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PersistenceOptions>()
            .Bind(configuration.GetSection(PersistenceOptions.SectionName))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("StatusBridge") ?? o.ConnectionString)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IDbConnectionFactory, DbConnectionFactory>();
        services.AddSingleton<MigrationRunner>();
        services.AddHostedService<MigrationHostedService>();
        // After the migrations: it watches whether the store answers, for readiness and for intake to wait out an outage.
        services.AddHostedService<StoreProbe>();

        services.AddSingleton<ITrackingStore, TrackingStore>();
        services.AddSingleton<IOutboxStore, OutboxStore>();
        services.AddSingleton<IPartnerStore, PartnerStore>();
        services.AddSingleton<IEndpointStore, EndpointStore>();
        services.AddSingleton<IDeliveryStore, DeliveryStore>();
        services.AddSingleton<IEarlyWebhookStore, EarlyWebhookStore>();
        services.AddSingleton<IDurationEstimateStore, DurationEstimateStore>();
        return services;
    }
}
