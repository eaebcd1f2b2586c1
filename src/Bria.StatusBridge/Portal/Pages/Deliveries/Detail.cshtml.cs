using System.Text.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Retention;
using Microsoft.AspNetCore.Mvc;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Portal.Pages.Deliveries;

/// <summary>One delivery with every attempt (status, latency, the stored start of the answer, the error), and retrying it.</summary>
internal sealed class DetailModel(PartnerWebhooks webhooks, RetentionNotice retention) : PortalPageModel
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [FromRoute(Name = "id")]
    public string DeliveryId { get; set; } = "";

    public DeliveryRecord? Delivery { get; private set; }

    public IReadOnlyList<AttemptRecord> Attempts { get; private set; } = [];

    public string? Notice { get; private set; }

    /// <summary>The message body as sent, indented for reading when it is JSON.</summary>
    public string Body => Delivery?.Payload is not { } payload ? "" : Indent(payload);

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(bool retried, CancellationToken cancellationToken)
    {
        Notice = retried ? "Sent again: the new attempt appears below in a moment (reload to see it)." : null;
        return ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(CancellationToken cancellationToken)
    {
        var result = await webhooks.RetryDeliveryAsync(PartnerId, DeliveryId, cancellationToken);
        switch (result.Status)
        {
            case PartnerActionStatus.Done:
                return LocalRedirect($"/portal/deliveries/{Uri.EscapeDataString(DeliveryId)}?retried=true");
            case PartnerActionStatus.Disabled:
                await ShowAsync(cancellationToken);
                Errors = [PortalText.Disabled(result.Endpoint!)];
                return Refused(StatusCodes.Status409Conflict);
            default:
                return NotFoundPage("Delivery", DeliveryId, retention.ForDelivery());
        }
    }

    private static string Indent(string payload)
    {
        try
        {
            return JsonNode.Parse(payload)?.ToJsonString(IndentedJson) ?? payload;
        }
        catch (JsonException)
        {
            return payload;
        }
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        if (await webhooks.GetDeliveryAsync(PartnerId, DeliveryId, cancellationToken) is not var (delivery, attempts))
        {
            return NotFoundPage("Delivery", DeliveryId, retention.ForDelivery());
        }

        (Delivery, Attempts) = (delivery, attempts);
        return Page();
    }
}
