namespace Bria.StatusBridge.Portal;

/// <summary>Names of the portal's cookie authentication.</summary>
internal static class PortalAuthentication
{
    /// <summary>The cookie scheme of portal sessions.</summary>
    public const string Scheme = "Portal";

    /// <summary>Policy: a portal session of a partner.</summary>
    public const string Policy = "PortalPartner";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "statusbridge_portal";

    /// <summary>The antiforgery cookie's name.</summary>
    public const string AntiforgeryCookieName = "statusbridge_portal_af";

    /// <summary>The claim naming the partner.</summary>
    public const string PartnerNameClaim = "partner_name";

    /// <summary>The claim saying how the session began: <c>link</c> or <c>api_key</c>.</summary>
    public const string MethodClaim = "sign_in_method";

    /// <summary>Where the portal's pages live.</summary>
    public const string PathPrefix = "/portal";
}
