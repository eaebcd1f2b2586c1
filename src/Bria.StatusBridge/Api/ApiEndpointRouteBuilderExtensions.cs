using Scalar.AspNetCore;

namespace Bria.StatusBridge.Api;

/// <summary>Maps the HTTP API, its OpenAPI document (<c>/openapi/v1.json</c>) and the API reference page (<c>/scalar</c>).</summary>
internal static class ApiEndpointRouteBuilderExtensions
{
    public static WebApplication MapBridgeApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(CheckUrlAndNoteOperationAsync);
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapAdminApi();
        app.MapPortalLinksApi();
        app.MapPollSchedulesApi();
        app.MapWebhookEndpointsApi();
        app.MapDeliveriesApi();
        app.MapTrackedRequestsApi();
        app.MapStatusStreamsApi();
        app.MapSigningSecretApi();
        app.MapBriaWebhooksApi();

        app.MapOpenApi();
        app.MapScalarApiReference(options => options
            .WithTitle("Bria.StatusBridge API")
            .DisableDefaultFonts()
            .WithOperationTitleSource(OperationTitleSource.Summary)
            .ExpandAllTags());
        return app;
    }

    /// <summary>Where the name of the request's operation is kept: the exception handler clears the endpoint before
    /// <see cref="BadRequestExceptionHandler"/> runs, and it shows the operation's example body.</summary>
    public const string OperationItem = "Bria.StatusBridge.Operation";

    // Kestrel's own limit answers a bare 414; below it, a long URL gets a ProblemDetails that says what is wrong.
    private static Task CheckUrlAndNoteOperationAsync(HttpContext context, RequestDelegate next)
    {
        context.Items[OperationItem] = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var length = context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length ?? 0;
        if (length <= ApiLimits.MaxUrlLength)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status414UriTooLong;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status414UriTooLong, Title = "URL too long" },
        }).AsTask();
    }
}
