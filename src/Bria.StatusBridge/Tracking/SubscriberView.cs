namespace Bria.StatusBridge.Tracking;

/// <summary>One party waiting for a request's outcome.</summary>
internal sealed record SubscriberView(
    string SubscriberId,
    string? CorrelationId,
    string? PartnerId,
    Uri? WebhookUrl,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt = null);
