using System.Security.Cryptography;

namespace Bria.StatusBridge.Partners;

/// <summary>Standard Webhooks signing secrets: <c>whsec_</c> plus base64 of 32 random bytes.</summary>
internal static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
