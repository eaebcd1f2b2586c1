using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bria.StatusBridge.Portal;

/// <summary>Strict security headers on every answer under <c>/portal</c>, redirects and errors included: a CSP that
/// allows only the portal's own script and style files (no inline script or style), framing only by the configured
/// ancestors, no referrer (a portal link's token must not leak), no caching of pages.</summary>
internal sealed class PortalSecurityHeaders(RequestDelegate next, IOptions<PortalOptions> options, IHostEnvironment environment)
{
    private const string HttpsRequired =
        "The partner portal is served over HTTPS only: its cookies are Secure. Open it with https://, or, when TLS ends at a proxy " +
        "or ingress, set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true so that the bridge sees the original scheme.";

    private readonly bool _requireHttps = !environment.IsDevelopment();

    private readonly string _contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors " + FrameAncestors(options.Value.FrameAncestors);

    private readonly string? _frameOptions = Sources(options.Value.FrameAncestors) switch
    {
        [] => "DENY",
        ["'self'"] => "SAMEORIGIN",
        // X-Frame-Options cannot name other origins; browsers that know frame-ancestors ignore it anyway.
        _ => null,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(PortalAuthentication.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = _contentSecurityPolicy;
            if (_frameOptions is not null)
            {
                headers.XFrameOptions = _frameOptions;
            }

            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            if (!headers.ContainsKey(HeaderNames.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });

        if (_requireHttps && !context.Request.IsHttps)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(HttpsRequired, context.RequestAborted);
            return;
        }

        await next(context);
    }

    internal static string FrameAncestors(IReadOnlyList<string> sources) => Sources(sources) is { Length: > 0 } given ? string.Join(' ', given) : "'none'";

    // Blank entries count as none: compose sets Portal__FrameAncestors__0 to an empty string when it is not configured.
    private static string[] Sources(IReadOnlyList<string> sources) => [.. sources.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())];
}
