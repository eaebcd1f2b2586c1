using System.Security.Cryptography;
using System.Text;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Standard Webhooks signatures: <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), one
/// per active secret, separated by spaces.</summary>
public static class WebhookSigner
{
    /// <summary>The <c>webhook-signature</c> header value for one attempt.</summary>
    public static string Sign(string webhookId, long timestamp, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }

        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));

        var signatures = secrets
            .Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecret.GetKey(secret), content)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (signatures.Count > 1)
        {
            // Some verifiers never look at the last signature of a list (the StandardWebhooks NuGet package, 1.1.2,
            // stops its loop before it); repeating the first one keeps every real signature checkable for them,
            // and costs a spec-conformant verifier nothing.
            signatures.Add(signatures[0]);
        }

        return string.Join(' ', signatures);
    }
}
