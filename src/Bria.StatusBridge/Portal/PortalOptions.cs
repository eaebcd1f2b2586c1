namespace Bria.StatusBridge.Portal;

/// <summary>The partner portal under <c>/portal</c> (section <c>Portal</c>; <c>Portal__SessionLifetime</c> in the environment).</summary>
public sealed class PortalOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Portal";

    /// <summary>How long a portal session lasts after sign-in (the cookie's lifetime; it does not slide).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a portal link issued by the operator stays usable (once).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Who may embed the portal in a frame: CSP <c>frame-ancestors</c> sources (<c>'self'</c> or origins such as
    /// <c>https://partners.example.com</c>). Empty (or only blank entries): nobody (<c>'none'</c>).</summary>
    public List<string> FrameAncestors { get; set; } = [];

    /// <summary>The bridge's public base URL, for the links the operator hands out (e.g. <c>https://bridge.example.com</c>).
    /// Empty: the scheme and host of the operator's request.</summary>
    public string? PublicUrl { get; set; }
}
