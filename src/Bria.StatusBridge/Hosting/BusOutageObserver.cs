using MassTransit;

namespace Bria.StatusBridge.Hosting;

/// <summary>Follows the receive endpoints' connection to the broker into <see cref="Outages.Bus"/>: one log line when
/// the connection is lost, one when it is back (MassTransit reconnects by itself).</summary>
internal sealed class BusOutageObserver(Outages outages) : IReceiveEndpointObserver
{
    public Task Ready(ReceiveEndpointReady ready)
    {
        outages.Bus.Clear();
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        outages.Bus.Report($"{faulted.InputAddress?.AbsolutePath.TrimStart('/')}: {faulted.Exception?.GetType().Name}");
        return Task.CompletedTask;
    }
}
