using Microsoft.AspNetCore.Http;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>One webhook request as a receiver got it.</summary>
public sealed record ReceivedWebhook(string Path, string WebhookId, string Timestamp, string Signature, string Body, DateTimeOffset ReceivedAt, int Call)
{
    /// <summary>The Standard Webhooks headers, for <c>StandardWebhook.Verify</c>.</summary>
    public HeaderDictionary Headers => new()
    {
        ["webhook-id"] = WebhookId,
        ["webhook-timestamp"] = Timestamp,
        ["webhook-signature"] = Signature,
    };
}
