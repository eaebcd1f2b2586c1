using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bria.StatusBridge.Simulator.Webhooks;

/// <summary>Bria's webhook signature: key = HMAC-SHA256(api_token, "bria-webhook-signing-v1"), then
/// v1=base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")).</summary>
internal static class WebhookSigner
{
    public const string IdHeader = "Bria-Webhook-Id";
    public const string TimestampHeader = "Bria-Webhook-Timestamp";
    public const string SignatureHeader = "Bria-Webhook-Signature";

    private static readonly byte[] KeyLabel = Encoding.UTF8.GetBytes("bria-webhook-signing-v1");

    public static byte[] DeriveKey(string apiToken) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiToken), KeyLabel);

    public static string Sign(byte[] key, string webhookId, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message, prefix.Length);
        return "v1=" + Convert.ToBase64String(HMACSHA256.HashData(key, message));
    }
}
