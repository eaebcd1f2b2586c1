namespace Bria.StatusBridge.Webhooks;

/// <summary>A delivery claimed for one attempt, with what is needed to send and sign it.</summary>
/// <param name="DeliveryId">The <c>webhook-id</c>.</param>
/// <param name="EndpointId">The partner endpoint, or null for a per-request webhook URL.</param>
/// <param name="PartnerId">The subscriber's partner, if any.</param>
/// <param name="Url">Where to send: the endpoint's current URL, or the per-request URL.</param>
/// <param name="Destination">The fairness and concurrency key.</param>
/// <param name="RequestId">Bria's request id; null for a test event.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Payload">The body, fixed when the message was created.</param>
/// <param name="Attempts">Attempts recorded so far.</param>
/// <param name="MaxAttempts">The attempt limit, or null for the schedule's length.</param>
/// <param name="Secrets">The endpoint's or partner's secrets; null to sign with the bridge's own secret.</param>
/// <param name="TraceParent">The tracked request's stored W3C trace context, so that every attempt joins its trace.</param>
/// <param name="NoticedAt">When the bridge noticed the outcome, for the notification lag; null for a test event and
/// for a message delivered before (a replay) or written for a subscriber that arrived after the outcome.</param>
internal sealed record ClaimedDelivery(
    string DeliveryId,
    string? EndpointId,
    string? PartnerId,
    Uri Url,
    string Destination,
    string? RequestId,
    string EventType,
    string Payload,
    int Attempts,
    int? MaxAttempts,
    SigningSecrets? Secrets,
    string? TraceParent = null,
    DateTimeOffset? NoticedAt = null);
