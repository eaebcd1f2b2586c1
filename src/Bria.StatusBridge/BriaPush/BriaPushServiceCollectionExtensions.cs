namespace Bria.StatusBridge.BriaPush;

/// <summary>Registers the inbound side of Bria's own webhooks: the verifier, the service and their metrics (the early
/// store is registered with the other stores, its purge with retention).</summary>
internal static class BriaPushServiceCollectionExtensions
{
    public static IServiceCollection AddBriaPush(this IServiceCollection services)
    {
        services.AddSingleton<BriaWebhookVerifier>();
        services.AddSingleton<BriaPushMetrics>();
        services.AddSingleton<BriaPushService>();
        return services;
    }
}
