namespace Bria.StatusBridge.Partners;

/// <summary>The event types a webhook endpoint can subscribe to, and the test event.</summary>
internal static class WebhookEventTypes
{
    public const string RequestCompleted = "request.completed";
    public const string RequestFailed = "request.failed";
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> Subscribable = [RequestCompleted, RequestFailed];
}
