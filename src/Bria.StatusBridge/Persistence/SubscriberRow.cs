using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Persistence;

/// <summary>A subscribers row as Dapper reads it (columns aliased to these names), shared by every query of subscribers.</summary>
internal sealed class SubscriberRow
{
    public string SubscriberId { get; init; } = "";

    public string? CorrelationId { get; init; }

    public string? PartnerId { get; init; }

    public string? WebhookUrl { get; init; }

    public string? MetadataJson { get; init; }

    public long CreatedAt { get; init; }

    public long? CancelledAt { get; init; }

    public SubscriberView ToView() => new(
        SubscriberId,
        CorrelationId,
        PartnerId,
        WebhookUrl is null ? null : new Uri(WebhookUrl),
        StoreJson.Deserialize<Dictionary<string, string>>(MetadataJson) ?? [],
        DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
        CancelledAt is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(CancelledAt.Value));
}
