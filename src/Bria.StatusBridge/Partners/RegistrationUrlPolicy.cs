using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Partners;

/// <summary>Refuses webhook URLs whose host is, or resolves to, a loopback, private, link-local, shared, multicast,
/// reserved or documentation address (IPv4, IPv6 and IPv4-mapped, NAT64 and 6to4 forms), unless allow-listed.
/// Registration only: delivery must check the address it actually connects to, since DNS answers change.</summary>
internal sealed class RegistrationUrlPolicy(IOptions<WebhookUrlOptions> options, IHostEnvironment environment) : IWebhookUrlPolicy
{
    private static readonly (IPNetwork Network, string Rule)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this-network (0.0.0.0/8)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private (RFC 1918, 10.0.0.0/8)"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT (100.64.0.0/10)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local and cloud metadata (169.254.0.0/16)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private (RFC 1918, 172.16.0.0/12)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments (192.0.0.0/24)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation (192.0.2.0/24)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private (RFC 1918, 192.168.0.0/16)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking (198.18.0.0/15)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation (198.51.100.0/24)"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation (203.0.113.0/24)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (240.0.0.0/4, including broadcast)"),
        (IPNetwork.Parse("::/128"), "unspecified (::/128)"),
        (IPNetwork.Parse("::1/128"), "loopback (::1/128)"),
        (IPNetwork.Parse("fc00::/7"), "unique local (fc00::/7)"),
        (IPNetwork.Parse("fe80::/10"), "link-local (fe80::/10)"),
        (IPNetwork.Parse("ff00::/8"), "multicast (ff00::/8)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (2001:db8::/32)"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly IPNetwork[] _allowed = [.. options.Value.AllowedSubnets.Select(IPNetwork.Parse)];

    private bool RequireHttps => options.Value.RequireHttps ?? !(environment.IsDevelopment() || environment.IsEnvironment("Testing"));

    public async Task<WebhookUrlRefusal?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return new WebhookUrlRefusal("scheme", "Only absolute http and https URLs can receive webhooks.");
        }

        if (RequireHttps && url.Scheme != Uri.UriSchemeHttps)
        {
            return new WebhookUrlRefusal("https-only", "This deployment only delivers to https URLs: register an https URL.");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
            }
            catch (SocketException)
            {
                return new WebhookUrlRefusal("dns", $"The host '{url.Host}' does not resolve: register a URL whose host name exists.");
            }
        }

        foreach (var address in addresses)
        {
            var rule = RefusedRule(address);
            if (rule is not null && !_allowed.Any(n => n.Contains(address) || (address.IsIPv4MappedToIPv6 && n.Contains(address.MapToIPv4()))))
            {
                return new WebhookUrlRefusal(
                    rule,
                    $"The host '{url.Host}' is (or resolves to) {address}, in the refused range {rule}: webhooks go only to public addresses. Register a public URL, or ask the operator to allow-list the subnet (Webhooks:AllowedSubnets).");
            }
        }

        return null;
    }

    internal static string? RefusedRule(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return RefusedRule(address.MapToIPv4()) is { } mapped ? $"IPv4-mapped {mapped}" : null;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address))
            {
                return RefusedRule(new IPAddress(bytes[12..16])) is { } nat64 ? $"NAT64 {nat64}" : null;
            }

            if (SixToFour.Contains(address))
            {
                return RefusedRule(new IPAddress(bytes[2..6])) is { } sixToFour ? $"6to4 {sixToFour}" : null;
            }
        }

        foreach (var (network, rule) in Refused)
        {
            if (network.Contains(address))
            {
                return rule;
            }
        }

        return null;
    }
}
