using System.Security.Cryptography;
using System.Text;

namespace Bria.StatusBridge.Tests.Simulator;

/// <summary>An independent check of Bria's webhook signature, written from bria-api.md and not from the simulator's code.</summary>
internal static class BriaSignature
{
    public static bool IsValid(string apiToken, ReceivedWebhook webhook)
    {
        using var derive = new HMACSHA256(Encoding.UTF8.GetBytes(apiToken));
        var key = derive.ComputeHash(Encoding.UTF8.GetBytes("bria-webhook-signing-v1"));
        using var sign = new HMACSHA256(key);
        var signed = Encoding.UTF8.GetBytes(webhook.Id + "." + webhook.Timestamp + ".").Concat(webhook.Body).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(sign.ComputeHash(signed)));
        return webhook.Signature
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(token => token.StartsWith("v1=", StringComparison.Ordinal))
            .Any(token => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token[3..]), expected));
    }
}
