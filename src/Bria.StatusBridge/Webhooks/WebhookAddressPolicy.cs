using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Which IP addresses outgoing webhooks may connect to: none of the private, loopback, link-local,
/// shared, multicast, reserved or documentation ranges (OWASP SSRF guidance), in IPv4, IPv6, and the IPv4-mapped,
/// IPv4-compatible, NAT64 and 6to4 forms of the IPv4 ranges; unless an operator allow-listed the subnet.</summary>
internal sealed class WebhookAddressPolicy
{
    internal static readonly IReadOnlyList<AddressRule> IPv4Rules =
    [
        AddressRule.Of("0.0.0.0/8", "'this network' 0.0.0.0/8"),
        AddressRule.Of("10.0.0.0/8", "private network (RFC 1918)"),
        AddressRule.Of("100.64.0.0/10", "carrier-grade NAT shared space (RFC 6598)"),
        AddressRule.Of("127.0.0.0/8", "loopback"),
        AddressRule.Of("169.254.0.0/16", "link-local, including cloud metadata 169.254.169.254"),
        AddressRule.Of("172.16.0.0/12", "private network (RFC 1918)"),
        AddressRule.Of("192.0.0.0/24", "IETF protocol assignments (reserved)"),
        AddressRule.Of("192.0.2.0/24", "documentation (TEST-NET-1)"),
        AddressRule.Of("192.88.99.0/24", "6to4 relay anycast (reserved)"),
        AddressRule.Of("192.168.0.0/16", "private network (RFC 1918)"),
        AddressRule.Of("198.18.0.0/15", "benchmarking (reserved)"),
        AddressRule.Of("198.51.100.0/24", "documentation (TEST-NET-2)"),
        AddressRule.Of("203.0.113.0/24", "documentation (TEST-NET-3)"),
        AddressRule.Of("224.0.0.0/4", "multicast"),
        AddressRule.Of("255.255.255.255/32", "broadcast"),
        AddressRule.Of("240.0.0.0/4", "reserved (240.0.0.0/4)"),
    ];

    internal static readonly IReadOnlyList<AddressRule> IPv6Rules =
    [
        AddressRule.Of("::/128", "IPv6 unspecified address"),
        AddressRule.Of("::1/128", "IPv6 loopback"),
        AddressRule.Of("100::/64", "IPv6 discard-only (reserved)"),
        AddressRule.Of("64:ff9b:1::/48", "local-use NAT64 (reserved)"),
        AddressRule.Of("2001::/23", "IETF protocol assignments, including Teredo (reserved)"),
        AddressRule.Of("2001:db8::/32", "IPv6 documentation"),
        AddressRule.Of("3fff::/20", "IPv6 documentation"),
        AddressRule.Of("fc00::/7", "IPv6 unique local address (ULA)"),
        AddressRule.Of("fe80::/10", "IPv6 link-local"),
        AddressRule.Of("fec0::/10", "IPv6 site-local (deprecated)"),
        AddressRule.Of("ff00::/8", "IPv6 multicast"),
    ];

    private static readonly IPNetwork Mapped = IPNetwork.Parse("::ffff:0:0/96");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    private readonly IReadOnlyList<IPNetwork> _allowed;

    public WebhookAddressPolicy(IOptions<WebhookOptions> options)
        : this(options.Value.AllowedSubnets ?? [])
    {
    }

    public WebhookAddressPolicy(IEnumerable<string> allowedSubnets) =>
        _allowed = [.. allowedSubnets.Select(s => IPNetwork.Parse(s.Trim()))];

    /// <summary>Null when <paramref name="address"/> may be called; otherwise why not, naming the rule.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsAllowListed(address))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IPv4Rules.FirstOrDefault(r => r.Network.Contains(address)) is { } rule ? Describe(address, rule, null) : null;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"{address} is not an IP address";
        }

        // The IPv6 forms that carry an IPv4 address are judged by that address.
        if (Embedded(address) is ({ } v4, { } form))
        {
            if (IsAllowListed(v4))
            {
                return null;
            }

            return IPv4Rules.FirstOrDefault(r => r.Network.Contains(v4)) is { } embeddedRule ? Describe(address, embeddedRule, form) : null;
        }

        if (IPv6Rules.FirstOrDefault(r => r.Network.Contains(address)) is { } v6Rule)
        {
            return Describe(address, v6Rule, null);
        }

        return GlobalUnicast.Contains(address)
            ? null
            : $"{address} is refused by the rule 'IPv6 outside global unicast 2000::/3 (reserved)'";
    }

    private bool IsAllowListed(IPAddress address) => _allowed.Any(n => n.Contains(address));

    private static string Describe(IPAddress address, AddressRule rule, string? form) =>
        form is null
            ? $"{address} is refused by the rule '{rule}'"
            : $"{address} is refused by the rule '{form} of {rule}'";

    /// <summary>The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address.</summary>
    internal static (IPAddress? Address, string? Form) Embedded(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (Mapped.Contains(address))
        {
            return (new IPAddress(bytes[12..]), "IPv4-mapped form (::ffff:0:0/96)");
        }

        if (Nat64.Contains(address))
        {
            return (new IPAddress(bytes[12..]), "NAT64 form (64:ff9b::/96)");
        }

        if (SixToFour.Contains(address))
        {
            return (new IPAddress(bytes[2..6]), "6to4 form (2002::/16)");
        }

        // ::/128 and ::1 are their own rules; the rest of ::/96 is the deprecated IPv4-compatible form.
        if (Compatible.Contains(address) && !address.Equals(IPAddress.IPv6None) && !address.Equals(IPAddress.IPv6Loopback))
        {
            return (new IPAddress(bytes[12..]), "IPv4-compatible form (::/96)");
        }

        return (null, null);
    }
}
