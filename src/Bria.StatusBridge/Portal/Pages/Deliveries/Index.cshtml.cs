using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Portal.Pages.Deliveries;

/// <summary>An endpoint's deliveries, filtered by status and time, newest first, a page at a time.</summary>
internal sealed class IndexModel(PartnerWebhooks webhooks) : PortalPageModel
{
    private const int PageSize = 25;
    private static readonly string[] States = ["Pending", "Delivered", "Failed"];

    public IReadOnlyList<EndpointRecord> Endpoints { get; private set; } = [];

    public EndpointRecord? Endpoint { get; private set; }

    public IReadOnlyList<DeliveryRecord> Deliveries { get; private set; } = [];

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? State { get; private set; }

    public string Since { get; private set; } = "";

    public string Until { get; private set; } = "";

    public bool Filtered => State is not null || Since.Length > 0 || Until.Length > 0;

    public string? NextCursor { get; private set; }

    public async Task OnGetAsync(string? endpoint, string? state, string? since, string? until, string? cursor, CancellationToken cancellationToken)
    {
        Endpoints = await webhooks.ListEndpointsAsync(PartnerId, cancellationToken);
        if (Endpoints.Count == 0)
        {
            return;
        }

        Endpoint = endpoint is null ? Endpoints[0] : Endpoints.FirstOrDefault(e => e.EndpointId == endpoint);
        var errors = new List<string>();
        if (Endpoint is null)
        {
            errors.Add("That endpoint is not one of yours: pick one from the list.");
            Endpoint = Endpoints[0];
        }

        State = string.IsNullOrEmpty(state) ? null : States.FirstOrDefault(s => s.Equals(state, StringComparison.OrdinalIgnoreCase));
        if (!string.IsNullOrEmpty(state) && State is null)
        {
            errors.Add("Pick a status from the list: pending, delivered or failed.");
        }

        var from = PortalHtml.ParseInputTime(since);
        var to = PortalHtml.ParseInputTime(until);
        Since = PortalHtml.InputTime(from);
        Until = PortalHtml.InputTime(to);
        if (from is not null && to is not null && to <= from)
        {
            errors.Add("\"Created before\" must be later than \"Created since\".");
        }

        DeliveryCursor? after = null;
        if (cursor is not null && !DeliveryCursor.TryDecode(cursor, out after))
        {
            errors.Add("That page link is out of date: start again from the first page.");
        }

        Errors = errors;
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var rows = await webhooks.ListDeliveriesAsync(PartnerId, Endpoint.EndpointId, new DeliveryFilter(State, null, from, to, PageSize, after), cancellationToken);
        Deliveries = [.. rows.Take(PageSize)];
        NextCursor = rows.Count > PageSize ? new DeliveryCursor(Deliveries[^1].CreatedAt.ToUnixTimeMilliseconds(), Deliveries[^1].DeliveryId).Encode() : null;
    }

    public string NextPageUrl() =>
        $"/portal/deliveries?endpoint={Uri.EscapeDataString(Endpoint!.EndpointId)}&state={State?.ToLowerInvariant()}&since={Uri.EscapeDataString(Since)}&until={Uri.EscapeDataString(Until)}&cursor={Uri.EscapeDataString(NextCursor!)}";
}
