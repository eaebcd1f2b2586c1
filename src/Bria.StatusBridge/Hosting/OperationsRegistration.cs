using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Webhooks;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bria.StatusBridge.Hosting;

/// <summary>What operators look at: OpenTelemetry traces and metrics, JSON logs, and the health checks.</summary>
internal static class OperationsRegistration
{
    /// <summary>The tag of the checks behind <c>/readyz</c>; MassTransit tags its bus checks with it too.</summary>
    public const string ReadyTag = "ready";

    /// <summary>MassTransit's own <see cref="System.Diagnostics.ActivitySource"/>: consume, publish and send.</summary>
    private const string MassTransitSource = "MassTransit";

    public static IHostApplicationBuilder AddBridgeOperations(this IHostApplicationBuilder builder)
    {
        // Structured logs by default; scopes carry the trace and span ids (and MassTransit's message ids).
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        builder.Services.AddSingleton<StoreGauges>();
        builder.Services.AddSingleton<BridgeMetrics>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "bria-status-bridge"))
            .WithTracing(tracing => tracing
                .AddSource(Telemetry.Name, MassTransitSource)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsOperationsPath(context.Request.Path))
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = RedactWebhookUrl)
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter(Telemetry.Name)
                .AddRuntimeInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());

        // The standard OTEL_* variables (endpoint, protocol, headers, service name) configure the exporter.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<BriaHealthCheck>("bria", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>A partner's webhook URL can carry a token in its path or query: its span keeps the origin only.</summary>
    private static void RedactWebhookUrl(System.Diagnostics.Activity activity, HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(WebhookSender.WebhookRequest, out var webhook) && webhook && request.RequestUri is { } url)
        {
            activity.SetTag("url.full", url.GetLeftPart(UriPartial.Authority) + "/");
        }
    }

    internal static bool IsOperationsPath(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
