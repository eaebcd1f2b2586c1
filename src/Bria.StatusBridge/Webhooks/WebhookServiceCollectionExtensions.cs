using System.Net;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Notifications;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Registers webhook delivery: options, stores, the guarded HTTP client, and the dispatch loops.</summary>
internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .PostConfigure(o => o.RequireHttps ??= !environment.IsDevelopment())
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();

        services.AddSingleton(provider => WebhookAddressPolicy.FromOptions(provider.GetRequiredService<IOptions<WebhookOptions>>()));
        services.AddSingleton<WebhookConnectGuard>();
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<DeliveryRetryPolicy>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<DeliveryAttemptRecorder>();
        services.AddSingleton<WebhookEndpointRemover>();
        services.AddSingleton<WebhookWakeSignal>();
        services.AddSingleton<IOutcomeStoredListener>(provider => provider.GetRequiredService<WebhookWakeSignal>());

        // No resilience handler: the delivery schedule owns retries. No redirects, no proxy (a proxy would connect
        // on the bridge's behalf, past the guard), no cookies; partner URLs stay out of the client's logs.
        services.AddHttpClient(WebhookSender.ClientName, client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Bria.StatusBridge-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var options = provider.GetRequiredService<IOptions<WebhookOptions>>().Value;
                var handler = new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = options.ConnectTimeout,
                    ConnectCallback = provider.GetRequiredService<WebhookConnectGuard>().ConnectAsync,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    MaxResponseHeadersLength = 64,
                };
                if (WebhookTrustedRoots.Load(options.TrustedRootCertificates) is { } roots)
                {
                    // TLS still runs through the connect guard above: only the certificate check gains the extra roots.
                    handler.SslOptions.RemoteCertificateValidationCallback = roots.Validate;
                }

                return handler;
            })
            .RemoveAllLoggers();

        services.AddHostedService<LoopService<WebhookDispatcher, WebhookWakeSignal>>();
        return services;
    }
}
