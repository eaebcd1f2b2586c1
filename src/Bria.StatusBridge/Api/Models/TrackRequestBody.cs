using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Api.Models;

/// <summary>The body of <c>POST /v1/tracked-requests</c>: the fields of <c>TrackRequest</c>, except the partner, which is the caller.</summary>
internal sealed record TrackRequestBody(
    string? RequestId,
    string? StatusUrl,
    string? CorrelationId,
    string? WebhookUrl,
    EndpointKind? EndpointKind,
    DateTimeOffset? Deadline,
    IReadOnlyDictionary<string, string>? Metadata);
