using Bria.StatusBridge.Api;
using Bria.StatusBridge.Portal;

namespace Bria.StatusBridge.Hosting;

/// <summary>Builds the bridge's web application; shared by <c>Program</c> and the tests.</summary>
public static class BridgeApplication
{
    /// <summary>Creates the configured application, ready to run.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Overrides first: registration reads the transport and the store from configuration.
        configure?.Invoke(builder);
        builder.AddBridge();
        builder.AddBridgeApi();
        builder.AddPartnerPortal();
        var app = builder.Build();
        app.MapOperations();
        app.UsePortalSecurityHeaders();
        app.MapBridgeApi();
        app.MapPartnerPortal();
        return app;
    }
}
