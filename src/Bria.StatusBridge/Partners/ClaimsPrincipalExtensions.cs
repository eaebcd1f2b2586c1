using System.Security.Claims;

namespace Bria.StatusBridge.Partners;

/// <summary>Reads the authenticated partner.</summary>
internal static class ClaimsPrincipalExtensions
{
    /// <summary>The partner id of the key that authenticated the call; the partner policy guarantees one.</summary>
    public static string PartnerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(PartnerAuthentication.PartnerIdClaim)
        ?? throw new InvalidOperationException("The call is not authenticated with a partner key; the route lacks the partner policy.");
}
