using System.Net;
using System.Net.Sockets;

namespace Bria.StatusBridge.Webhooks;

/// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: resolves the host itself,
/// drops every address the policy refuses, connects only to an admitted one, and checks the address the socket
/// actually reached. DNS rebinding gains nothing: the checked address is the one connected to.</summary>
internal sealed class WebhookConnectGuard(WebhookAddressPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"{host} does not resolve to any address.");
        }

        var refusals = new List<string>();
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } refusal)
            {
                refusals.Add(refusal);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                // Belt and braces: judge the peer the kernel reports, not only the address asked for.
                if (socket.RemoteEndPoint is IPEndPoint peer && policy.Refusal(peer.Address) is { } peerRefusal)
                {
                    socket.Dispose();
                    refusals.Add(peerRefusal);
                    continue;
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                if (exception is OperationCanceledException)
                {
                    throw;
                }

                lastError = exception;
            }
        }

        if (lastError is not null)
        {
            throw new HttpRequestException($"Could not connect to {host}:{port}: {lastError.Message}", lastError);
        }

        throw new WebhookAddressRefusedException(
            $"Refused to connect to {host}: {string.Join("; ", refusals.Distinct(StringComparer.Ordinal))}. " +
            "An operator can admit a subnet with Webhooks__AllowedSubnets.");
    }
}
