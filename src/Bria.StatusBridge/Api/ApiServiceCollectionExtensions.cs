using System.Text.Json;
using System.Text.Json.Serialization;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Streams;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bria.StatusBridge.Api;

/// <summary>Registers the HTTP API: API key authentication, ProblemDetails, JSON conventions and the OpenAPI document.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddBridgeApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PartnerWebhooks>();
        services.AddSingleton<PartnerRequests>();

        services.AddAuthentication(PartnerAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(PartnerAuthentication.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PartnerAuthentication.PartnerPolicy, p => p.RequireClaim(PartnerAuthentication.PartnerIdClaim))
            .AddPolicy(PartnerAuthentication.AdminPolicy, p => p.RequireRole(PartnerAuthentication.AdminRole));

        // Nothing here protects data (API keys are stored hashed, there are no cookies); authentication registers data
        // protection anyway, and its first-start key ring warnings would only send an operator looking for a problem.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblemDefaults.Customize);
        services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestLineSize = ApiLimits.MaxRequestLineSize;
            o.Limits.MaxRequestBodySize = ApiLimits.MaxBodyBytes;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<StoreUnavailableExceptionHandler>();
        // Binding failures throw, so that the handler above can say what was wrong instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            // An unknown field is a mistake worth reporting (a misspelt one, or partner_id, which the key decides).
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // One spelling per value (docs/api.md): enums in snake_case, times in UTC with milliseconds, as webhooks write them.
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new WireTimeJsonConverter());
        });

        services.AddOpenApi(ApiDocument.Configure);
        // The API maps the status stream routes, so it registers what they need.
        builder.AddStatusStreams();
        return builder;
    }
}
