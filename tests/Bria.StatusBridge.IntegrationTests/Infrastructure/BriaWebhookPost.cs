using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Posts webhooks to the bridge as Bria signs them, written from docs/bria-api.md ("Bria's own webhooks"),
/// not from the bridge's code: key = HMAC-SHA256(api_token, "bria-webhook-signing-v1"), signature =
/// v1=base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}")).</summary>
public static class BriaWebhookPost
{
    public static string Completed(string requestId) =>
        $$$"""{"request_id":"{{{requestId}}}","status":"COMPLETED","result":{"image_url":"https://temp.example/{{{requestId}}}.png","seed":"90210"}}""";

    public static string InProgress(string requestId) => $$"""{"request_id":"{{requestId}}","status":"IN_PROGRESS"}""";

    public static string Signature(string apiToken, string webhookId, string timestamp, byte[] body)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiToken), Encoding.UTF8.GetBytes("bria-webhook-signing-v1"));
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(body).ToArray();
        return "v1=" + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    public static string Now() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A request signed with <paramref name="apiToken"/>; <paramref name="signature"/> replaces the header when given.</summary>
    public static HttpRequestMessage Create(
        Uri bridge, string apiToken, string webhookId, string body, string? timestamp = null, string? signature = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var bytes = Encoding.UTF8.GetBytes(body);
        timestamp ??= Now();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(bridge, "v1/bria/webhooks"))
        {
            Content = new ByteArrayContent(bytes),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Bria-Webhook-Id", webhookId);
        request.Headers.Add("Bria-Webhook-Timestamp", timestamp);
        request.Headers.Add("Bria-Webhook-Signature", signature ?? Signature(apiToken, webhookId, timestamp, bytes));
        return request;
    }
}
