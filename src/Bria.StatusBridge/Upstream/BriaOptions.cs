namespace Bria.StatusBridge.Upstream;

/// <summary>How to reach Bria's status API; configuration section <c>Bria</c>.</summary>
internal sealed class BriaOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Bria";

    /// <summary>Bria's API base address; a simulator's address in tests and local runs.</summary>
    public Uri BaseUrl { get; set; } = new("https://engine.prod.bria-api.com");

    /// <summary>The account's API token, sent as the <c>api_token</c> header. Never logged.</summary>
    public string ApiToken { get; set; } = string.Empty;

    /// <summary>How long to wait for a TCP/TLS connection (the official client uses 10 s).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one status call may take in total (the official client reads for 30 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Earlier API tokens whose webhook signatures are still accepted, so that the token can be rotated
    /// without losing the webhooks Bria signed with the old one (it retries for about 45 minutes). Never logged.</summary>
    public IList<string> PreviousApiTokens { get; } = [];

    /// <summary>How far a webhook's <c>Bria-Webhook-Timestamp</c> may lie from this replica's clock, either way:
    /// older posts are refused as replays.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The URL producers hand Bria as <c>webhook_url</c> on submit: this bridge's <c>/v1/bria/webhooks</c>
    /// as Bria reaches it. Optional: shown in the demo and the docs; the bridge accepts pushes whether it is set or not.</summary>
    public Uri? WebhookPublicUrl { get; set; }

    /// <summary>Most webhooks kept for requests not tracked yet (the push came before the <c>TrackRequest</c>);
    /// beyond it the oldest is dropped. Their age is bounded by <c>Retention:EarlyWebhooks</c>.</summary>
    public int EarlyWebhookLimit { get; set; } = 10_000;

    // Written out so that a debugger, a log line or a later switch to a record never shows the token.
    public override string ToString() =>
        $"BriaOptions {{ BaseUrl = {BaseUrl}, ApiToken = {(string.IsNullOrEmpty(ApiToken) ? "(unset)" : "***")}, " +
        $"ConnectTimeout = {ConnectTimeout}, RequestTimeout = {RequestTimeout}, PreviousApiTokens = {PreviousApiTokens.Count} (***), " +
        $"WebhookTolerance = {WebhookTolerance}, WebhookPublicUrl = {WebhookPublicUrl}, EarlyWebhookLimit = {EarlyWebhookLimit} }}";
}
