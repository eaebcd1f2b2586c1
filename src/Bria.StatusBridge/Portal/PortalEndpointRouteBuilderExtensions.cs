namespace Bria.StatusBridge.Portal;

/// <summary>Maps the partner portal's pages and assets under <c>/portal</c>.</summary>
internal static class PortalEndpointRouteBuilderExtensions
{
    /// <summary>The portal's security headers; before authentication, so that its redirects carry them too.</summary>
    public static WebApplication UsePortalSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<PortalSecurityHeaders>();
        return app;
    }

    public static WebApplication MapPartnerPortal(this WebApplication app)
    {
        app.MapGet(PortalAuthentication.PathPrefix + "/assets/{name}", PortalAssets.Serve).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }
}
