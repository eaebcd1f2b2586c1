using Bria.StatusBridge.Partners;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bria.StatusBridge.Portal;

/// <summary>A portal page of the signed-in partner: its id comes from the session, never from the page's input.</summary>
internal abstract class PortalPageModel : PageModel
{
    /// <summary>The signed-in partner.</summary>
    public string PartnerId => User.PartnerId();

    /// <summary>What was not found, for the not-found view; null when the page shows its content.</summary>
    public string? Missing { get; private set; }

    /// <summary>Answers 404 with the page's not-found view: another partner's ids look exactly like ids that do not exist.
    /// <paramref name="retention"/>, when given, says how long such history is kept (an older one has been purged).</summary>
    protected PageResult NotFoundPage(string what, string id, string? retention = null)
    {
        Missing = $"{what} '{id}'";
        ViewData["Retention"] = retention;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>Renders the page with a status code that says the input was refused.</summary>
    protected PageResult Refused(int status = StatusCodes.Status400BadRequest)
    {
        Response.StatusCode = status;
        return Page();
    }
}
