using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.BriaPush;

/// <summary>Checks the signature of a webhook from Bria (docs/bria-api.md, "Bria's own webhooks"):
/// <c>key = HMAC-SHA256(api_token, "bria-webhook-signing-v1")</c>, then
/// <c>v1=base64(HMAC-SHA256(key, "{id}.{timestamp}.{raw body}"))</c>; any of the comma-separated <c>v1=</c> tokens may
/// match, under the current token or a previous one, compared in constant time. The timestamp must lie within the
/// tolerance either way. Pure apart from the keys, derived once.</summary>
internal sealed class BriaWebhookVerifier
{
    private static readonly byte[] KeyLabel = Encoding.UTF8.GetBytes("bria-webhook-signing-v1");
    private readonly byte[][] _keys;
    private readonly TimeSpan _tolerance;

    public BriaWebhookVerifier(IOptions<BriaOptions> options)
    {
        var bria = options.Value;
        _keys = [.. new[] { bria.ApiToken }.Concat(bria.PreviousApiTokens)
            .Where(token => !string.IsNullOrEmpty(token))
            .Distinct(StringComparer.Ordinal)
            .Select(DeriveKey)];
        _tolerance = bria.WebhookTolerance;
    }

    /// <summary>The signing key Bria derives from an API token.</summary>
    public static byte[] DeriveKey(string apiToken) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiToken), KeyLabel);

    /// <summary>Answers the first rule the headers and body break, or null when Bria signed them.</summary>
    public BriaWebhookRule? Verify(string? webhookId, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return BriaWebhookRule.MissingHeader;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return BriaWebhookRule.InvalidTimestamp;
        }

        var skew = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (skew.Duration() > _tolerance)
        {
            return BriaWebhookRule.StaleTimestamp;
        }

        // The signed content is the id and timestamp exactly as sent, then the raw body.
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var tokens = Tokens(signature);
        var matched = false;
        foreach (var key in _keys)
        {
            HMACSHA256.HashData(key, message, expected);
            foreach (var token in tokens)
            {
                // Every token is compared against every key, match or not: the time taken does not say which one matched.
                var decoded = Convert.TryFromBase64String(token, presented, out var written) && written == presented.Length;
                matched |= decoded & CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return matched ? null : BriaWebhookRule.BadSignature;
    }

    private static List<string> Tokens(string header)
    {
        var tokens = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("v1=", StringComparison.Ordinal) && tokens.Count < 16)
            {
                tokens.Add(part[3..]);
            }
        }

        return tokens;
    }
}
