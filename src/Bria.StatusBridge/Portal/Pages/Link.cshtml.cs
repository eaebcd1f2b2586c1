using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Portal.Pages;

/// <summary>Exchanges a one-time portal link for a session. Opening the link only shows a button: the token is spent
/// by the POST, so mail scanners and link previews that fetch the URL do not use it up.</summary>
internal sealed class LinkModel(PortalLinks links, PortalSessions sessions, IOptions<PortalOptions> options) : PageModel
{
    public string? Token { get; private set; }

    public string? Error { get; private set; }

    public int SessionMinutes => (int)options.Value.SessionLifetime.TotalMinutes;

    public void OnGet(string? token) => Token = token;

    public async Task<IActionResult> OnPostAsync(string? token, CancellationToken cancellationToken)
    {
        var partner = await links.ExchangeAsync(token, cancellationToken);
        if (partner is null)
        {
            Error = "It was already used, it expired, or it was copied incompletely. Ask your operator for a new portal link.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await sessions.SignInAsync(HttpContext, partner, "link", null);
        return LocalRedirect("/portal/endpoints");
    }
}
