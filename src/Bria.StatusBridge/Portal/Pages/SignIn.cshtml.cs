using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Portal.Pages;

/// <summary>Sign-in with a partner API key (the same keys the API takes).</summary>
internal sealed class SignInModel(PortalSessions sessions, IOptions<PortalOptions> options) : PageModel
{
    public string? Error { get; private set; }

    public string? ReturnUrl { get; private set; }

    public bool SignedOut { get; private set; }

    public int SessionMinutes => (int)options.Value.SessionLifetime.TotalMinutes;

    public void OnGet(string? returnUrl, bool signedOut = false)
    {
        ReturnUrl = returnUrl;
        SignedOut = signedOut;
    }

    public async Task<IActionResult> OnPostAsync(string? apiKey, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var match = await sessions.CheckApiKeyAsync(apiKey, cancellationToken);
        if (match is not var (partner, keyId))
        {
            Error = "That API key is not valid, was revoked, or its partner is disabled. Check that you copied it whole (it starts with sbk_), or ask your operator for a portal link.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await sessions.SignInAsync(HttpContext, partner, "api_key", keyId);
        return LocalRedirect(SafeReturnUrl(returnUrl));
    }

    // Only a page of the portal itself: never an absolute URL or another part of the site (an open redirect).
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith("/portal/", StringComparison.Ordinal) && !url.StartsWith("/portal//", StringComparison.Ordinal)
            && !url.Contains('\\', StringComparison.Ordinal) && !url.StartsWith("/portal/sign-", StringComparison.Ordinal)
            ? url
            : "/portal/endpoints";
}
