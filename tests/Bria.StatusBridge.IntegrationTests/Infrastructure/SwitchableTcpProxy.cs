using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A loopback TCP forwarder that can be made unreachable and reachable again, to take a server away from the
/// bridge without touching the server (which other tests share).</summary>
public sealed class SwitchableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private volatile int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _open = new();
    private readonly Task _acceptLoop;
    private volatile bool _reachable = true;
    private int _accepted;
    private int _refused;
    private int _cut;

    public SwitchableTcpProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Cuts every open connection; new ones are closed as soon as they arrive.</summary>
    /// <remarks>Each side is reset (linger 0) and shut down before it is disposed: a dispose alone may leave the close
    /// to the last of the socket's users (a copy still reading from it), so that the bridge would not notice the outage
    /// at once.</remarks>
    public void Cut()
    {
        lock (_open)
        {
            _reachable = false;
            foreach (var (inbound, outbound) in _open)
            {
                Reset(inbound);
                Reset(outbound);
                _cut++;
            }

            _open.Clear();
        }
    }

    /// <summary>What the proxy has done so far, for a failure message.</summary>
    public string Describe()
    {
        lock (_open)
        {
            return $"{(_reachable ? "reachable" : "cut")}: {_accepted} connections forwarded, {_open.Count} open, {_cut} cut, {_refused} refused while cut";
        }
    }

    /// <summary>Forwards new connections to another port from now on (a restarted server on a new port).</summary>
    public void Retarget(int port) => _targetPort = port;

    /// <summary>Forwards new connections again.</summary>
    public void Restore()
    {
        lock (_open)
        {
            _reachable = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var inbound = await _listener.AcceptTcpClientAsync(_stopping.Token);
            if (!_reachable)
            {
                Interlocked.Increment(ref _refused);
                Reset(inbound);
                continue;
            }

            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            // Registered before connecting and under the lock Cut takes, so that a connection accepted just before a
            // cut is cut too: registered after it (once connected, as before), it slipped past the cut and the bridge
            // kept its broker connection through the "outage".
            lock (_open)
            {
                if (!_reachable)
                {
                    Interlocked.Increment(ref _refused);
                    return;
                }

                _open[inbound] = outbound;
                _accepted++;
            }

            await outbound.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stopping.Token), b.CopyToAsync(a, _stopping.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut connection ends here, as a dead server's would.
        }
        finally
        {
            _open.TryRemove(inbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            // Null once the client is disposed (its forwarding ended as the cut began).
            var socket = client.Client;
            if (socket is { Connected: true })
            {
                socket.LingerState = new LingerOption(enable: true, seconds: 0);
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already closed from the other side.
        }

        client.Dispose();
    }
}
