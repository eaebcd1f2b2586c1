using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Portal;

/// <summary>Registers the partner portal: Razor Pages under <c>/portal</c>, its cookie sessions, antiforgery, portal
/// links, and Data Protection keys shared by every replica through the store.</summary>
internal static class PortalServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddPartnerPortal(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PortalOptions>().Bind(builder.Configuration.GetSection(PortalOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();
        services.AddSingleton<IPortalLinkStore, PortalLinkStore>();
        services.AddSingleton<PortalLinks>();
        services.AddSingleton<PortalSessions>();

        // Cookies and antiforgery tokens are encrypted with Data Protection keys; kept in the database, they are the
        // same on every replica, so a session started on one replica is valid on all.
        services.AddDataProtection().SetApplicationName("Bria.StatusBridge");
        services.AddSingleton<DataProtectionKeyRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeyRepository>((o, keys) => o.XmlRepository = keys);
        StartDataProtectionAfterMigrations(services);

        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.AddAuthentication().AddCookie(PortalAuthentication.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(PortalAuthentication.Scheme).Configure<IOptions<PortalOptions>>((o, portal) =>
        {
            o.Cookie.Name = PortalAuthentication.CookieName;
            o.Cookie.Path = PortalAuthentication.PathPrefix;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = secure;
            // Lax, not Strict: a partner following the operator's link from mail or chat arrives signed in.
            // Cross-site POSTs never carry it, and every form also checks an antiforgery token.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = portal.Value.SessionLifetime;
            o.SlidingExpiration = false;
            o.LoginPath = PortalAuthentication.PathPrefix + "/sign-in";
            o.AccessDeniedPath = PortalAuthentication.PathPrefix + "/sign-in";
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<PortalSessions>().ValidateAsync(context);
        });
        services.AddAuthorization(o => o.AddPolicy(PortalAuthentication.Policy, p => p
            .AddAuthenticationSchemes(PortalAuthentication.Scheme)
            .RequireClaim(PartnerAuthentication.PartnerIdClaim)));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = PortalAuthentication.AntiforgeryCookieName;
            o.Cookie.Path = PortalAuthentication.PathPrefix;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "__antiforgery";
        });

        var pages = services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Portal/Pages";
            o.Conventions.AuthorizeFolder("/", PortalAuthentication.Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Link");
        });
        // Hosts whose entry assembly is not the bridge (the tests) still find the compiled pages.
        var assembly = typeof(PortalOptions).Assembly;
        if (!pages.PartManager.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
        {
            pages.AddApplicationPart(assembly);
        }

        return builder;
    }

    // Data Protection loads its key ring in a hosted service that ASP.NET Core registers first; the keys live in a
    // table that a later hosted service migrates into existence, so the key ring's start moves behind it.
    private static void StartDataProtectionAfterMigrations(IServiceCollection services)
    {
        var keyRingStart = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList();
        foreach (var descriptor in keyRingStart)
        {
            services.Remove(descriptor);
            services.Add(descriptor);
        }
    }
}
