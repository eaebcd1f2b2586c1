using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bria.StatusBridge.Portal.Pages;

/// <summary>The portal's home: the endpoints page.</summary>
internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/portal/endpoints");
}
