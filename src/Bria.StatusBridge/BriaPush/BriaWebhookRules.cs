namespace Bria.StatusBridge.BriaPush;

/// <summary>How each <see cref="BriaWebhookRule"/> is answered and counted: status code, title, what to fix, metric tag.</summary>
internal static class BriaWebhookRules
{
    public static string TagOf(BriaWebhookRule rule) => rule switch
    {
        BriaWebhookRule.MissingHeader => "missing_header",
        BriaWebhookRule.InvalidTimestamp => "invalid_timestamp",
        BriaWebhookRule.StaleTimestamp => "stale_timestamp",
        BriaWebhookRule.BadSignature => "bad_signature",
        BriaWebhookRule.BodyTooLarge => "body_too_large",
        BriaWebhookRule.UnreadableBody => "unreadable_body",
        BriaWebhookRule.IdMismatch => "id_mismatch",
        _ => rule.ToString(),
    };

    public static int StatusOf(BriaWebhookRule rule) => rule switch
    {
        BriaWebhookRule.StaleTimestamp or BriaWebhookRule.BadSignature => StatusCodes.Status401Unauthorized,
        BriaWebhookRule.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    public static string TitleOf(BriaWebhookRule rule) => rule switch
    {
        BriaWebhookRule.MissingHeader => "Bria webhook header missing",
        BriaWebhookRule.InvalidTimestamp => "Bria webhook timestamp unreadable",
        BriaWebhookRule.StaleTimestamp => "Bria webhook timestamp outside the tolerance",
        BriaWebhookRule.BadSignature => "Bria webhook signature does not match",
        BriaWebhookRule.BodyTooLarge => "Bria webhook body too large",
        BriaWebhookRule.UnreadableBody => "Bria webhook body unreadable",
        BriaWebhookRule.IdMismatch => "Bria webhook id does not match the body",
        _ => rule.ToString(),
    };

    /// <summary>What failed and what to fix; never the body, the signature or a key.</summary>
    public static string DetailOf(BriaWebhookRule rule, TimeSpan tolerance) => rule switch
    {
        BriaWebhookRule.MissingHeader =>
            "Send the headers Bria-Webhook-Id (the request id), Bria-Webhook-Timestamp (Unix seconds) and Bria-Webhook-Signature (comma-separated v1=<base64> tokens).",
        BriaWebhookRule.InvalidTimestamp => "Bria-Webhook-Timestamp must be the signing time in whole Unix seconds.",
        BriaWebhookRule.StaleTimestamp =>
            $"Bria-Webhook-Timestamp is more than {tolerance} away from this server's clock (Bria:WebhookTolerance): sign each attempt with the current time, and check both clocks.",
        BriaWebhookRule.BadSignature =>
            "No v1= token of Bria-Webhook-Signature matches HMAC-SHA256 over \"{id}.{timestamp}.{raw body}\" with the key derived from Bria:ApiToken (or one of Bria:PreviousApiTokens). Check that Bria signs with the token the bridge is configured with.",
        BriaWebhookRule.BodyTooLarge => $"The body is over {BriaPushService.MaxBodyBytes / 1024 / 1024} MB; a Bria status body is a few KB.",
        BriaWebhookRule.UnreadableBody =>
            "The body must be Bria's status JSON: an object with request_id and status (IN_PROGRESS, COMPLETED, ERROR or UNKNOWN).",
        BriaWebhookRule.IdMismatch => "The body's request_id must equal the Bria-Webhook-Id header.",
        _ => rule.ToString(),
    };
}
