using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Tracking;

/// <summary>A validated request to track, from the bus or the HTTP API; <paramref name="BriaPushes"/>: the producer asked
/// Bria to push the outcome to the bridge, so polls are only the safety net.</summary>
internal sealed record TrackingCommand(
    string RequestId,
    Uri? StatusUrl,
    string? CorrelationId,
    string? PartnerId,
    Uri? WebhookUrl,
    EndpointKind Kind,
    DateTimeOffset Deadline,
    IReadOnlyDictionary<string, string> Metadata,
    string? TraceParent,
    bool BriaPushes = false)
{
    /// <summary>One subscriber per (request, correlation id, partner, webhook): a redelivered command finds itself.</summary>
    public string SubscriberId => DeterministicId.Create("subscriber", RequestId, CorrelationId, PartnerId, WebhookUrl?.ToString()).ToString();
}
