using Microsoft.AspNetCore.Mvc;

namespace Bria.StatusBridge.Portal.Pages;

/// <summary>Any other address under <c>/portal</c>: a page that says so and links to the lists, not a bare 404.</summary>
internal sealed class NotFoundModel : PortalPageModel
{
    public IActionResult OnGet(string? path) => NotFoundPage("The page", "/portal/" + path);
}
