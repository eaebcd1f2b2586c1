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

        var signatures = new StringBuilder();
        foreach (var secret in secrets)
        {
            if (signatures.Length > 0)
            {
                signatures.Append(' ');
            }

            signatures.Append("v1,").Append(Convert.ToBase64String(HMACSHA256.HashData(WebhookSecret.GetKey(secret), content)));
        }

        return signatures.ToString();
    }
}
