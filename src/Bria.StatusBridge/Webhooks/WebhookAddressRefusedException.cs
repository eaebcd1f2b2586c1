namespace Bria.StatusBridge.Webhooks;

/// <summary>An outgoing webhook connection was refused by the SSRF guard; the message names the rule.</summary>
public sealed class WebhookAddressRefusedException : Exception
{
    public WebhookAddressRefusedException()
    {
    }

    public WebhookAddressRefusedException(string message)
        : base(message)
    {
    }

    public WebhookAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
