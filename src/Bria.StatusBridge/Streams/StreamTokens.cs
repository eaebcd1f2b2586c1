using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Streams;

/// <summary>Short-lived tokens that let a browser's <c>EventSource</c> (which cannot send an <c>Authorization</c>
/// header) open one request's status stream without ever holding the partner's API key. A token is signed and
/// encrypted with the Data Protection keys every replica shares through the store, so nothing is stored per token and
/// any replica accepts it; it names the partner, the request and its expiry, and opens nothing else.</summary>
internal sealed class StreamTokens(IDataProtectionProvider protection, IOptions<StatusStreamOptions> options, TimeProvider time)
{
    private const char Separator = '\n';
    private const string NotValid = "The access_token is not valid: issue one with POST /v1/tracked-requests/{request_id}/stream-tokens and pass it whole.";
    private readonly IDataProtector _protector = protection.CreateProtector("Bria.StatusBridge.StatusStreamToken.v1");

    public StreamToken Issue(string partnerId, string requestId)
    {
        var expiresAt = time.GetUtcNow() + options.Value.TokenLifetime;
        var payload = string.Join(Separator, partnerId, requestId, expiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return new StreamToken(_protector.Protect(payload), expiresAt);
    }

    /// <summary>Who <paramref name="token"/> lets open the stream of <paramref name="requestId"/>, or why not.</summary>
    public StreamTokenGrant Check(string token, string requestId)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return new StreamTokenGrant(null, NotValid);
        }

        var parts = payload.Split(Separator);
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt))
        {
            return new StreamTokenGrant(null, NotValid);
        }

        if (!string.Equals(parts[1], requestId, StringComparison.Ordinal))
        {
            return new StreamTokenGrant(null, "The access_token was issued for another request: issue one for this request_id.");
        }

        if (time.GetUtcNow().ToUnixTimeMilliseconds() >= expiresAt)
        {
            return new StreamTokenGrant(null, "The access_token has expired: issue a new one with POST /v1/tracked-requests/{request_id}/stream-tokens.");
        }

        return new StreamTokenGrant(parts[0], null);
    }
}
