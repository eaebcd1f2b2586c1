using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Checks a webhook URL when it is registered (the API calls it): the shape (<see cref="WebhookUrlRule"/>),
/// https when required, and every address the host resolves to admitted by the <see cref="WebhookAddressPolicy"/>. Sending
/// checks again at connect time, so a host that later resolves elsewhere is still refused.</summary>
internal sealed class WebhookUrlPolicy(WebhookAddressPolicy addresses, IOptions<WebhookOptions> options)
{
    /// <summary>The checks that need no DNS: scheme, HTTPS rule, credentials, and a literal IP host.</summary>
    public UrlCheckResult CheckSyntax(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (WebhookUrlRule.Check(url) is { Allowed: false } shape)
        {
            return UrlCheckResult.Refused(shape.Rule!, $"The webhook URL {shape.Message}");
        }

        if (url.Scheme == Uri.UriSchemeHttp && options.Value.RequireHttps != false)
        {
            return UrlCheckResult.Refused("https-required", "This bridge only sends webhooks over HTTPS (Webhooks__RequireHttps); use an https:// URL.");
        }

        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal)
            && addresses.Refusal(literal) is { } refusal)
        {
            return UrlCheckResult.Refused("address", $"The webhook URL is refused: {refusal}.");
        }

        return UrlCheckResult.Ok;
    }

    /// <summary>Every check: <see cref="CheckSyntax"/>, then resolves the host and checks all its addresses.</summary>
    public async Task<UrlCheckResult> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        var syntax = CheckSyntax(url);
        if (!syntax.Allowed || url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return syntax;
        }

        IPAddress[] resolved;
        try
        {
            resolved = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException exception)
        {
            return UrlCheckResult.Refused("dns", $"The webhook URL's host {url.Host} does not resolve ({exception.SocketErrorCode}).");
        }

        if (resolved.Length == 0)
        {
            return UrlCheckResult.Refused("dns", $"The webhook URL's host {url.Host} does not resolve to any address.");
        }

        foreach (var address in resolved)
        {
            if (addresses.Refusal(address) is { } refusal)
            {
                return UrlCheckResult.Refused("address", $"The webhook URL's host {url.Host} resolves to a refused address: {refusal}.");
            }
        }

        return UrlCheckResult.Ok;
    }
}
