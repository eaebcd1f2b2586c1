using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace Bria.StatusBridge.Portal.Pages.Endpoints;

/// <summary>The partner's endpoints, and the form that adds one (through the same service, checks and URL policy as the API).</summary>
internal sealed class IndexModel(PartnerWebhooks webhooks) : PortalPageModel
{
    public IReadOnlyList<EndpointRecord> Endpoints { get; private set; } = [];

    [BindProperty]
    public EndpointForm Form { get; set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Form.EventTypes = [.. WebhookEventTypes.All];
        Endpoints = await webhooks.ListEndpointsAsync(PartnerId, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var input = new EndpointInput(Form.Url?.Trim() is { Length: > 0 } url ? url : null, Form.EventTypes, Form.Description);
        var result = await webhooks.CreateEndpointAsync(PartnerId, input, cancellationToken);
        if (result.Value is { } endpoint)
        {
            return LocalRedirect($"/portal/endpoints/{endpoint.EndpointId}?notice=created");
        }

        Form.Errors = result.Errors ?? new Dictionary<string, string[]>();
        Form.Refusal = result.Refusal is { } refusal ? PortalText.Refusal(refusal) : null;
        Endpoints = await webhooks.ListEndpointsAsync(PartnerId, cancellationToken);
        return Refused(StatusCodes.Status422UnprocessableEntity);
    }
}
