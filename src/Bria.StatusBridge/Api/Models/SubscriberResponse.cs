namespace Bria.StatusBridge.Api.Models;

/// <summary>One of the caller's subscriptions to a tracked request.</summary>
internal sealed record SubscriberResponse(
    string SubscriberId,
    string? CorrelationId,
    Uri? WebhookUrl,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CancelledAt);
