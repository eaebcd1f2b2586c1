using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Retention;
using Microsoft.AspNetCore.Mvc;

namespace Bria.StatusBridge.Portal.Pages.Requests;

/// <summary>One tracked request as the partner may see it: state, result or failure, its subscriptions and deliveries.</summary>
internal sealed class DetailModel(PartnerRequests requests, RetentionNotice retention) : PortalPageModel
{
    [FromRoute(Name = "id")]
    public string RequestId { get; set; } = "";

    public PartnerRequestView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        View = await requests.GetAsync(PartnerId, RequestId, cancellationToken);
        return View is null ? NotFoundPage("Tracked request", RequestId, retention.ForRequest()) : Page();
    }
}
