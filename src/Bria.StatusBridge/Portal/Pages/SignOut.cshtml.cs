using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bria.StatusBridge.Portal.Pages;

/// <summary>Ends the portal session (a POST, protected against cross-site requests like every form).</summary>
internal sealed class SignOutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(PortalAuthentication.Scheme);
        return LocalRedirect("/portal/sign-in?signedOut=true");
    }
}
