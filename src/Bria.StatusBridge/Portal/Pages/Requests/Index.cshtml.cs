using Bria.StatusBridge.Partners;
using Microsoft.AspNetCore.Mvc;

namespace Bria.StatusBridge.Portal.Pages.Requests;

/// <summary>The partner's recently tracked requests, and a search by request id.</summary>
internal sealed class IndexModel(PartnerRequests requests) : PortalPageModel
{
    private const int Recent = 50;

    public IReadOnlyList<PartnerRequestSummary> Requests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        // The search form: its request's page answers not found for an id this partner does not track.
        if (!string.IsNullOrWhiteSpace(id))
        {
            return LocalRedirect($"/portal/requests/{Uri.EscapeDataString(id.Trim())}");
        }

        Requests = await requests.ListRecentAsync(PartnerId, Recent, cancellationToken);
        return Page();
    }
}
