namespace Bria.StatusBridge.BriaPush;

/// <summary>The rule an inbound Bria webhook broke; each has its own HTTP status, ProblemDetails and metric tag.</summary>
internal enum BriaWebhookRule
{
    /// <summary>A <c>Bria-Webhook-Id</c>, <c>Bria-Webhook-Timestamp</c> or <c>Bria-Webhook-Signature</c> header is missing.</summary>
    MissingHeader,

    /// <summary><c>Bria-Webhook-Timestamp</c> is not Unix seconds.</summary>
    InvalidTimestamp,

    /// <summary><c>Bria-Webhook-Timestamp</c> lies outside <c>Bria:WebhookTolerance</c> of this replica's clock.</summary>
    StaleTimestamp,

    /// <summary>No <c>v1=</c> token of <c>Bria-Webhook-Signature</c> matches a key derived from the current or a previous token.</summary>
    BadSignature,

    /// <summary>The body is larger than 1 MB.</summary>
    BodyTooLarge,

    /// <summary>The body is not Bria's status JSON (no JSON object, no <c>status</c>, an unknown status).</summary>
    UnreadableBody,

    /// <summary>The body's <c>request_id</c> differs from <c>Bria-Webhook-Id</c>.</summary>
    IdMismatch,
}
