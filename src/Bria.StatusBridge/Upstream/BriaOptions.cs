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

    // Written out so that a debugger, a log line or a later switch to a record never shows the token.
    public override string ToString() =>
        $"BriaOptions {{ BaseUrl = {BaseUrl}, ApiToken = {(string.IsNullOrEmpty(ApiToken) ? "(unset)" : "***")}, " +
        $"ConnectTimeout = {ConnectTimeout}, RequestTimeout = {RequestTimeout} }}";
}
