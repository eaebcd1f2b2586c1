namespace Bria.StatusBridge.Partners;

/// <summary>Decides whether a webhook URL may be registered; the delivery engine applies the same rules again at
/// connect time.</summary>
internal interface IWebhookUrlPolicy
{
    /// <summary>Null when the URL is acceptable; otherwise the refusal, naming the rule.</summary>
    Task<WebhookUrlRefusal?> CheckAsync(Uri url, CancellationToken cancellationToken);
}
