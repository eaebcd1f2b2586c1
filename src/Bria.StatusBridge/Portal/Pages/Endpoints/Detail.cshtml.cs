using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace Bria.StatusBridge.Portal.Pages.Endpoints;

/// <summary>One endpoint: edit, enable or disable, delete, reveal and rotate its secret, send a test event, resend
/// failed deliveries. Every action goes through <see cref="PartnerWebhooks"/>, as the API's do.</summary>
internal sealed class DetailModel(PartnerWebhooks webhooks, TimeProvider time) : PortalPageModel
{
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["created"] = "Endpoint added. Reveal its signing secret below, then send it a test event.",
        ["updated"] = "Changes saved.",
        ["enabled"] = "Endpoint enabled: new messages are delivered again.",
        ["disabled"] = "Endpoint disabled: messages wait until you enable it.",
        ["test"] = "Test event queued: it is on its way to your endpoint.",
    };

    [FromRoute(Name = "id")]
    public string EndpointId { get; set; } = "";

    public EndpointRecord? Endpoint { get; private set; }

    [BindProperty]
    public EndpointForm Form { get; set; } = new();

    public SigningSecrets? Secrets { get; private set; }

    public bool Rotated { get; private set; }

    public string? Notice { get; private set; }

    public string? NoticeDelivery { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string RecoverSince { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? notice, string? delivery, CancellationToken cancellationToken)
    {
        Notice = notice is null ? null : Notices.GetValueOrDefault(notice);
        NoticeDelivery = Notice is null || delivery is null || !delivery.StartsWith(Ids.Message + "_", StringComparison.Ordinal) ? null : delivery;
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostUpdateAsync(CancellationToken cancellationToken)
    {
        var input = new EndpointInput(Form.Url?.Trim() ?? "", Form.EventTypes, Form.Description ?? "");
        var result = await webhooks.UpdateEndpointAsync(PartnerId, EndpointId, input, cancellationToken);
        switch (result.Status)
        {
            case PartnerActionStatus.Done:
                return Redirect("updated");
            case PartnerActionStatus.NotFound:
                return NotFoundPage("Endpoint", EndpointId);
            default:
                var form = Form;
                form.Errors = result.Errors ?? new Dictionary<string, string[]>();
                form.Refusal = result.Refusal is { } refusal ? PortalText.Refusal(refusal) : null;
                await ShowAsync(cancellationToken);
                Form = form;
                Errors = form.AllErrors();
                return Refused(StatusCodes.Status422UnprocessableEntity);
        }
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) =>
        await webhooks.SetEndpointEnabledAsync(PartnerId, EndpointId, true, cancellationToken) is null ? NotFoundPage("Endpoint", EndpointId) : Redirect("enabled");

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) =>
        await webhooks.SetEndpointEnabledAsync(PartnerId, EndpointId, false, cancellationToken) is null ? NotFoundPage("Endpoint", EndpointId) : Redirect("disabled");

    public async Task<IActionResult> OnPostDeleteAsync(bool confirm, CancellationToken cancellationToken)
    {
        if (!confirm)
        {
            await ShowAsync(cancellationToken);
            Errors = ["Tick \"Yes, delete this endpoint\" to delete it."];
            return Refused();
        }

        return await webhooks.DeleteEndpointAsync(PartnerId, EndpointId, cancellationToken)
            ? LocalRedirect("/portal/endpoints")
            : NotFoundPage("Endpoint", EndpointId);
    }

    public async Task<IActionResult> OnPostRevealAsync(CancellationToken cancellationToken)
    {
        Secrets = await webhooks.GetSecretsAsync(PartnerId, EndpointId, cancellationToken);
        return Secrets is null ? NotFoundPage("Endpoint", EndpointId) : await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRotateAsync(CancellationToken cancellationToken)
    {
        Secrets = await webhooks.RotateSecretAsync(PartnerId, EndpointId, cancellationToken);
        if (Secrets is null)
        {
            return NotFoundPage("Endpoint", EndpointId);
        }

        Rotated = true;
        Notice = "Secret rotated. Update your receiver: the previous secret keeps signing alongside the new one for a while.";
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        var result = await webhooks.SendTestEventAsync(PartnerId, EndpointId, cancellationToken);
        return await AfterActionAsync(result, () => Redirect("test", result.Value!.DeliveryId), cancellationToken);
    }

    public async Task<IActionResult> OnPostRecoverAsync(string? since, CancellationToken cancellationToken)
    {
        var result = await webhooks.RecoverFailedAsync(PartnerId, EndpointId, PortalHtml.ParseInputTime(since), cancellationToken);
        if (result.Status == PartnerActionStatus.Done)
        {
            await ShowAsync(cancellationToken);
            Notice = result.Value == 1 ? "1 failed delivery is being sent again." : $"{result.Value} failed deliveries are being sent again.";
            return Page();
        }

        return await AfterActionAsync(result, () => Page(), cancellationToken);
    }

    private async Task<IActionResult> AfterActionAsync<T>(PartnerActionResult<T> result, Func<IActionResult> done, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case PartnerActionStatus.Done:
                return done();
            case PartnerActionStatus.NotFound:
                return NotFoundPage("Endpoint", EndpointId);
            case PartnerActionStatus.Disabled:
                await ShowAsync(cancellationToken);
                Errors = [PortalText.Disabled(result.Endpoint!)];
                return Refused(StatusCodes.Status409Conflict);
            default:
                await ShowAsync(cancellationToken);
                // The portal's time field replaces the API's JSON example.
                Errors = result.Errors?.ContainsKey("since") == true
                    ? ["Give a time in the past: failed deliveries created since then are sent again."]
                    : [.. (result.Errors ?? new Dictionary<string, string[]>()).Values.SelectMany(m => m)];
                return Refused();
        }
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Endpoint = await webhooks.GetEndpointAsync(PartnerId, EndpointId, cancellationToken);
        if (Endpoint is null)
        {
            return NotFoundPage("Endpoint", EndpointId);
        }

        Form = new EndpointForm { Url = Endpoint.Url.ToString(), Description = Endpoint.Description, EventTypes = [.. Endpoint.EventTypes] };
        RecoverSince = PortalHtml.InputTime(time.GetUtcNow().AddDays(-1));
        return Page();
    }

    private LocalRedirectResult Redirect(string notice, string? deliveryId = null) =>
        LocalRedirect($"/portal/endpoints/{Uri.EscapeDataString(EndpointId)}?notice={notice}" + (deliveryId is null ? "" : $"&delivery={deliveryId}"));
}
