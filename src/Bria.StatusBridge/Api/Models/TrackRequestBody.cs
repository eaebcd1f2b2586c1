using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/tracked-requests</c>: the fields of <c>TrackRequest</c>, except the partner, which is the caller.</summary>
/// <param name="RequestId">Bria's request_id, from the 202 answer of a V2 submit.</param>
/// <param name="StatusUrl">The status_url of the same answer; when given it must be Bria's /v2/status/{request_id} URL.</param>
/// <param name="CorrelationId">Your own id for this request, echoed on the webhook.</param>
/// <param name="WebhookUrl">A URL that receives this request's outcome too, signed with your signing secret (GET /v1/signing-secret).</param>
/// <param name="EndpointKind">image (the default), video or structured_prompt: it picks the poll schedule.</param>
/// <param name="Deadline">When to give up and report timed_out; the bridge's default for the kind when left out.</param>
/// <param name="Metadata">String pairs echoed on the webhook (at most 32 entries and 8 KB).</param>
/// <param name="BriaPushes">true when you submitted the request to Bria with the bridge's webhook_url (its /v1/bria/webhooks):
/// Bria pushes the outcome, and the bridge polls only on a sparse safety schedule that catches a lost push. Default false.</param>
internal sealed record TrackRequestBody(
    string? RequestId,
    string? StatusUrl = null,
    string? CorrelationId = null,
    string? WebhookUrl = null,
    EndpointKind? EndpointKind = null,
    DateTimeOffset? Deadline = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    bool? BriaPushes = null);
