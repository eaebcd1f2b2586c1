using System.Net;
using System.Reflection;
using Bria.StatusBridge.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Refit;

namespace Bria.StatusBridge.Upstream;

/// <summary>Registers the Bria status client: options, the Refit client and its HTTP pipeline.</summary>
public static class BriaStatusClientServiceCollectionExtensions
{
    /// <summary>The name of the underlying <see cref="HttpClient"/>; tests use it to swap the primary handler.</summary>
    internal const string HttpClientName = "Bria.StatusBridge.Upstream.BriaStatus";

    /// <summary>The name of the pipeline's only resilience handler (a request timeout, no retries).</summary>
    internal const string ResilienceHandlerName = "bria-status";

    /// <summary>Adds <c>IBriaStatusClient</c>, bound to configuration section <c>Bria</c> and validated at start.</summary>
    public static IServiceCollection AddBriaStatusClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<BriaOptions>()
            .Bind(configuration.GetSection(BriaOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BriaOptions>, BriaOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<ApiTokenHandler>();
        services.TryAddTransient<UserAgentHandler>();
        services.TryAddSingleton<ReplicaIdentity>();

        // Refit 16's AddRefitClient builds requests by reflection and needs the separate Refit.Reflection package;
        // the generated client is the same IHttpClientFactory registration without it (and trim-safe).
        var client = services
            .AddRefitGeneratedClient<IBriaStatusApi>(_ => new RefitSettings(new SystemTextJsonContentSerializer()), HttpClientName)
            .ConfigureHttpClient((provider, httpClient) =>
            {
                httpClient.BaseAddress = provider.GetRequiredService<IOptions<BriaOptions>>().Value.BaseUrl;
                // The resilience handler owns the request timeout; HttpClient's own 100 s default would only blur it.
                httpClient.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectTimeout = provider.GetRequiredService<IOptions<BriaOptions>>().Value.ConnectTimeout,
                AutomaticDecompression = DecompressionMethods.All,
                // A redirect would carry the api_token header to wherever it points (only Authorization is
                // stripped on redirects); the status endpoint has no reason to redirect, so a 3xx is an observation.
                AllowAutoRedirect = false,
                // A long-lived poller may hold its typed client (and so this handler) for hours; recycling
                // connections keeps DNS changes at Bria visible even then.
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });

        // The poller owns retries: a retry here would spend the account's scarce rate budget behind its back.
        // So the only resilience strategy is the request timeout.
        client.AddResilienceHandler(ResilienceHandlerName, (pipeline, context) =>
            pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<BriaOptions>>().Value.RequestTimeout));

        // Polly logs every timeout at Error ("Resilience event occurred. EventName: 'OnTimeout'"); a timeout is an
        // ordinary transient observation here, counted in the status-call metric and logged once per outage.
        services.Configure<TelemetryOptions>(options => options.SeverityProvider = args =>
            args.Event.EventName == "OnTimeout" ? ResilienceEventSeverity.None : args.Event.Severity);

        // Inside the resilience handler, so that the header is set on whatever request actually goes out.
        client.AddHttpMessageHandler<ApiTokenHandler>();
        client.AddHttpMessageHandler<UserAgentHandler>();

        // BriaStatusClient logs every call itself (request id, observation, latency). The factory's own logging
        // handlers (a scope and two messages per call) repeat that at the cost of every poll, and their trace level
        // lists request headers: the api_token header must never reach a log, so they are removed altogether.
        client.RemoveAllLoggers();

        // Transient like the typed Refit client it wraps, so that IHttpClientFactory can rotate handlers.
        services.TryAddTransient<IBriaStatusClient, BriaStatusClient>();
        return services;
    }

    /// <summary><c>Bria.StatusBridge/&lt;informational version&gt; (&lt;replica id&gt;)</c>.</summary>
    internal static string UserAgent(ReplicaIdentity replica)
    {
        var assembly = typeof(BriaStatusClientServiceCollectionExtensions).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        return $"Bria.StatusBridge/{version} ({replica.Id})";
    }
}
