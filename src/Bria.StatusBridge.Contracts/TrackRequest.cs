namespace Bria.StatusBridge.Contracts;

/// <summary>Command: track a Bria request until it ends, then publish <see cref="RequestCompleted"/> or
/// <see cref="RequestFailed"/> (and call the webhook, if one is given).</summary>
/// <remarks>Publish it to the <c>track-request</c> queue. Tracking the same <see cref="RequestId"/> again adds
/// a subscriber to the one poll loop; tracking a request that already ended answers from the stored outcome.</remarks>
public sealed record TrackRequest
{
    /// <summary>Bria's <c>request_id</c>, from the 202 answer of a V2 submit. Required.</summary>
    public string RequestId { get; init; } = "";

    /// <summary>The <c>status_url</c> from the same answer. Optional; when given it must be Bria's
    /// <c>/v2/status/{request_id}</c> URL for <see cref="RequestId"/>.</summary>
    public Uri? StatusUrl { get; init; }

    /// <summary>The subscriber's own id for this request, echoed on the outcome event.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The partner the request belongs to, when a partner tracks it.</summary>
    public string? PartnerId { get; init; }

    /// <summary>A URL that receives the outcome as a signed webhook. Optional.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>Which kind of Bria endpoint made the request; it picks the poll schedule.</summary>
    public EndpointKind EndpointKind { get; init; } = EndpointKind.Image;

    /// <summary>When to give up and report <see cref="FailureReason.TimedOut"/>. Optional: the bridge applies its
    /// configured default for the endpoint kind.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Free-form string pairs, echoed back on the outcome event and webhook.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The producer submitted the request to Bria with the bridge's <c>webhook_url</c> (its
    /// <c>/v1/bria/webhooks</c>), so Bria pushes the outcome: the bridge then polls only on a sparse safety schedule
    /// that catches a lost push. Optional; false polls on the kind's usual schedule.</summary>
    public bool BriaPushes { get; init; }
}
