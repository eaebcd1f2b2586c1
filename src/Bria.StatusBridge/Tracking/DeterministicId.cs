using System.Security.Cryptography;
using System.Text;

namespace Bria.StatusBridge.Tracking;

/// <summary>Ids that are the same every time they are derived from the same parts, so that a republish or a
/// redelivery carries the id of the first attempt.</summary>
internal static class DeterministicId
{
    public static Guid Create(params string?[] parts)
    {
        // A unit separator between parts and a marker for null keep ("a","bc") apart from ("ab","c") and (null) from ("").
        var text = string.Join('\u001f', parts.Select(p => p is null ? "\u0000" : p));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16];
        // RFC 9562 version 8 (custom) with the RFC variant bits.
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
