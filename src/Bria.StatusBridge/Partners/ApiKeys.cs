using System.Security.Cryptography;
using System.Text;

namespace Bria.StatusBridge.Partners;

/// <summary>Partner API keys: <c>sbk_</c> plus 32 random bytes (base64url); only a SHA-256 hash and a short prefix are
/// stored.</summary>
internal static class ApiKeys
{
    public const string Prefix = "sbk_";

    /// <summary>How many leading characters are stored in clear, to recognise a key in lists.</summary>
    public const int VisiblePrefixLength = 12;

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string VisiblePrefix(string key) => key[..Math.Min(VisiblePrefixLength, key.Length)];

    /// <summary>Compares two secrets in time that depends on neither: both are hashed to equal lengths first.</summary>
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
