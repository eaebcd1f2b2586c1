namespace Bria.StatusBridge.Partners;

/// <summary>Names shared by the API key authentication handler, the policies and the API.</summary>
internal static class PartnerAuthentication
{
    /// <summary>The authentication scheme: a key in <c>Authorization: Bearer</c> or <c>X-Api-Key</c>.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The header that may carry the key instead of <c>Authorization</c>.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The claim carrying the authenticated partner's id.</summary>
    public const string PartnerIdClaim = "partner_id";

    /// <summary>The claim carrying the API key's id.</summary>
    public const string KeyIdClaim = "key_id";

    /// <summary>The operator's part of the API.</summary>
    public const string AdminPath = "/v1/admin";

    /// <summary>The role of the operator key.</summary>
    public const string AdminRole = "admin";

    /// <summary>Policy: a partner's API key.</summary>
    public const string PartnerPolicy = "Partner";

    /// <summary>Policy: the operator key.</summary>
    public const string AdminPolicy = "Admin";

    /// <summary>Where the handler leaves the reason a key was refused, for the 401 ProblemDetails.</summary>
    public const string FailureItem = "ApiKeyFailure";
}
