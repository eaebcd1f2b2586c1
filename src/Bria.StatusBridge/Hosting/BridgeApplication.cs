using Bria.StatusBridge.Api;
using Bria.StatusBridge.Portal;

namespace Bria.StatusBridge.Hosting;

/// <summary>Builds the bridge's web application; shared by <c>Program</c> and the tests.</summary>
public static class BridgeApplication
{
    /// <summary>Creates the configured application, ready to run.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null) => Map(Build(args, configure));

    /// <summary>Builds the application without mapping its endpoints: nothing is resolved yet, so that
    /// <see cref="CheckConfiguration"/> can report every bad setting before anything uses one.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        // Overrides first: registration reads the transport and the store from configuration.
        configure?.Invoke(builder);
        builder.AddBridge();
        builder.AddBridgeApi();
        builder.AddPartnerPortal();
        builder.Services.AddSingleton(ConfigurationCheck.ValidatedOptions(builder.Services));
        return builder.Build();
    }

    /// <summary>Maps the operations endpoints and the HTTP API.</summary>
    public static WebApplication Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOperations();
        app.UsePortalSecurityHeaders();
        app.MapBridgeApi();
        app.MapPartnerPortal();
        return app;
    }

    // The built binary started from another directory (the repository root, say) still reads the appsettings.json
    // next to it, instead of running on bare defaults; an explicit content root always wins.
    private static string? ContentRoot(string[] args)
    {
        const string Settings = "appsettings.json";
        var explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 }
            || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 };
        return explicitRoot || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), Settings)) || !File.Exists(Path.Combine(AppContext.BaseDirectory, Settings))
            ? null
            : AppContext.BaseDirectory;
    }

    /// <summary>Checks every setting (or only the sections of <paramref name="only"/>) and writes each bad key to
    /// <paramref name="errors"/>; false when the application must not start.</summary>
    public static bool CheckConfiguration(WebApplication app, TextWriter errors, params Type[] only)
    {
        ArgumentNullException.ThrowIfNull(app);
        return !ConfigurationCheck.Report(ConfigurationCheck.Problems(app.Services, only), errors);
    }
}
