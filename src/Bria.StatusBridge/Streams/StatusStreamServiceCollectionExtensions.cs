using Bria.StatusBridge.Notifications;

namespace Bria.StatusBridge.Streams;

/// <summary>Registers status streams: the hub (this replica's one listener for request changes), the shared
/// heartbeat, the cross-replica listener on PostgreSQL, and browser stream tokens.</summary>
internal static class StatusStreamServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddStatusStreams(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StatusStreamOptions>().Bind(builder.Configuration.GetSection(StatusStreamOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StatusStreamHub>();
        services.AddSingleton<IRequestChangedListener>(provider => provider.GetRequiredService<StatusStreamHub>());
        services.AddSingleton<StreamTokens>();
        services.AddHostedService<StatusStreamHeartbeat>();
        services.AddHostedService<PostgresChangeListener>();
        return builder;
    }
}
