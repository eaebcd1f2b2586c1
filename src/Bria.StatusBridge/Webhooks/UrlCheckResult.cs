namespace Bria.StatusBridge.Webhooks;

/// <summary>Whether a webhook URL may be registered; when not, <paramref name="Rule"/> names the rule and
/// <paramref name="Message"/> says what to fix.</summary>
public sealed record UrlCheckResult(bool Allowed, string? Rule, string? Message)
{
    /// <summary>The URL may be registered.</summary>
    public static UrlCheckResult Ok { get; } = new(true, null, null);

    /// <summary>The URL is refused.</summary>
    public static UrlCheckResult Refused(string rule, string message) => new(false, rule, message);
}
