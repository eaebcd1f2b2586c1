using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Streams;

/// <summary>The one heartbeat of every stream on this replica (no timer per stream), and the signal that ends them all
/// when the replica shuts down: clients reconnect, through the load balancer, to a replica that stays.</summary>
internal sealed class StatusStreamHeartbeat(
    StatusStreamHub hub, IOptions<StatusStreamOptions> options, IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server stops taking requests and waits for open ones: the streams end first, so it need not wait.
        lifetime.ApplicationStopping.Register(hub.Close);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                hub.Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
