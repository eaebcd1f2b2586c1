using System.Text.Json;
using System.Text.Json.Serialization;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;

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

        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures throw, so that the handler above can say what was wrong instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            // An unknown field is a mistake worth reporting (a misspelt one, or partner_id, which the key decides).
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });

        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Bria.StatusBridge API",
                Version = "v1",
                Description = "Track Bria's asynchronous requests and receive their outcomes as signed webhooks (Standard Webhooks). " +
                    "Authenticate every call with `Authorization: Bearer <key>` (or `X-Api-Key: <key>`): partner routes take a partner's API key (sbk_...), /v1/admin the operator key.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[PartnerAuthentication.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A partner API key (sbk_...) or, for /v1/admin, the operator key. `X-Api-Key: <key>` is accepted too.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PartnerAuthentication.Scheme, document)] = [] }];
            return Task.CompletedTask;
        }));
        return builder;
    }
}
