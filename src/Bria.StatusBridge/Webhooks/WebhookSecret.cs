using System.Security.Cryptography;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Standard Webhooks signing secrets: <c>whsec_</c> followed by the base64 of 24 to 64 random bytes.</summary>
public static class WebhookSecret
{
    /// <summary>The prefix every secret carries.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The fewest key bytes a secret may hold.</summary>
    public const int MinBytes = 24;

    /// <summary>The most key bytes a secret may hold.</summary>
    public const int MaxBytes = 64;

    private const int GeneratedBytes = 32;

    /// <summary>A new random secret (32 bytes).</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes));

    /// <summary>Whether <paramref name="secret"/> is a well-formed secret.</summary>
    public static bool IsValid(string? secret) => TryGetKey(secret, out _);

    /// <summary>The HMAC key of a secret: the base64-decoded part after <c>whsec_</c>.</summary>
    public static bool TryGetKey(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret.AsSpan(Prefix.Length);
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written) || written < MinBytes || written > MaxBytes)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }

    /// <summary>The HMAC key of a secret known to be valid.</summary>
    public static byte[] GetKey(string secret) =>
        TryGetKey(secret, out var key) ? key : throw new ArgumentException("Not a whsec_ secret of 24 to 64 bytes.", nameof(secret));
}
