using System.Security.Claims;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Bria.StatusBridge.Portal;

/// <summary>Starts portal sessions (from a portal link or an API key) and checks them on every request: a session
/// ends as soon as its partner is disabled or the API key it began with is revoked.</summary>
internal sealed partial class PortalSessions(IPartnerStore partners, ILogger<PortalSessions> logger)
{
    public async Task SignInAsync(HttpContext context, PartnerRecord partner, string method, string? keyId)
    {
        List<Claim> claims =
        [
            new(PartnerAuthentication.PartnerIdClaim, partner.PartnerId),
            new(PortalAuthentication.PartnerNameClaim, partner.Name),
            new(PortalAuthentication.MethodClaim, method),
            new(ClaimTypes.Name, partner.PartnerId),
        ];
        if (keyId is not null)
        {
            claims.Add(new Claim(PartnerAuthentication.KeyIdClaim, keyId));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, PortalAuthentication.Scheme));
        await context.SignInAsync(PortalAuthentication.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        LogSignedIn(logger, partner.PartnerId, method);
    }

    /// <summary>An API key's partner and key id, when the key is valid, unrevoked and its partner enabled.</summary>
    public async Task<(PartnerRecord Partner, string KeyId)?> CheckApiKeyAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var match = await partners.FindApiKeyAsync(ApiKeys.Hash(key.Trim()), cancellationToken);
        if (match is not { RevokedAt: null, PartnerDisabledAt: null })
        {
            return null;
        }

        var partner = await partners.GetPartnerAsync(match.PartnerId, cancellationToken);
        return partner is null ? null : (partner, match.KeyId);
    }

    /// <summary>Cookie validation: rejects the session of a disabled partner or a revoked key.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        var partnerId = user?.FindFirstValue(PartnerAuthentication.PartnerIdClaim);
        var cancellationToken = context.HttpContext.RequestAborted;
        var partner = partnerId is null ? null : await partners.GetPartnerAsync(partnerId, cancellationToken);
        var valid = partner is { DisabledAt: null };
        if (valid && user!.FindFirstValue(PartnerAuthentication.KeyIdClaim) is { } keyId)
        {
            var keys = await partners.ListApiKeysAsync(partnerId!, cancellationToken);
            valid = keys.Any(k => k.KeyId == keyId && k.RevokedAt is null);
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(PortalAuthentication.Scheme);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Portal session started for partner {PartnerId} with {Method}")]
    private static partial void LogSignedIn(ILogger logger, string partnerId, string method);
}
