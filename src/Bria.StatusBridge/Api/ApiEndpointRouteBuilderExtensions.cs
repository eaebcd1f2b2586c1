using Scalar.AspNetCore;

namespace Bria.StatusBridge.Api;

/// <summary>Maps the HTTP API, its OpenAPI document (<c>/openapi/v1.json</c>) and the API reference page (<c>/scalar</c>).</summary>
internal static class ApiEndpointRouteBuilderExtensions
{
    public static WebApplication MapBridgeApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapAdminApi();
        app.MapPortalLinksApi();
        app.MapWebhookEndpointsApi();
        app.MapDeliveriesApi();
        app.MapTrackedRequestsApi();

        app.MapOpenApi();
        app.MapScalarApiReference(options => options
            .WithTitle("Bria.StatusBridge API")
            .DisableDefaultFonts()
            .WithOperationTitleSource(OperationTitleSource.Path)
            .ExpandAllTags());
        return app;
    }
}
