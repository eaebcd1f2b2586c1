using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Portal;

/// <summary>Issues and exchanges one-time portal links. A link's token is <c>spl_</c> plus 32 random bytes; only its
/// SHA-256 hash is stored, with the partner, an expiry and whether it was used.</summary>
internal sealed class PortalLinks(IPortalLinkStore links, IPartnerStore partners, IOptions<PortalOptions> options, TimeProvider time)
{
    public const string TokenPrefix = "spl_";

    /// <summary>A new link's token and expiry for an existing partner; null when the partner is unknown.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)?> IssueAsync(string partnerId, CancellationToken cancellationToken)
    {
        if (await partners.GetPartnerAsync(partnerId, cancellationToken) is null)
        {
            return null;
        }

        var token = TokenPrefix + ApiKeys.Generate()[ApiKeys.Prefix.Length..];
        var now = time.GetUtcNow();
        var expiresAt = now + options.Value.LinkLifetime;
        await links.AddAsync(ApiKeys.Hash(token), partnerId, now, expiresAt, cancellationToken);
        return (token, expiresAt);
    }

    /// <summary>Uses a token once: the partner, when the token is known, unused, unexpired and its partner enabled.</summary>
    public async Task<PartnerRecord?> ExchangeAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var partnerId = await links.UseAsync(ApiKeys.Hash(token.Trim()), time.GetUtcNow(), cancellationToken);
        return partnerId is null ? null : await partners.GetPartnerAsync(partnerId, cancellationToken) is { DisabledAt: null } partner ? partner : null;
    }

    /// <summary>The address a partner opens: the token travels in the query of a page that asks for one click before
    /// using it, so link scanners that fetch the URL do not spend it.</summary>
    public static Uri LinkUrl(Uri baseUrl, string token) => new(baseUrl, $"portal/link?token={Uri.EscapeDataString(token)}");
}
