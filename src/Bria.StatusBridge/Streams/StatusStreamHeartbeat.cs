using System.Diagnostics.Metrics;
using Bria.StatusBridge.Hosting;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Streams;

/// <summary>The one heartbeat of every stream on this replica (no timer per stream), and the signal that ends them all
/// when the replica shuts down: clients reconnect, through the load balancer, to a replica that stays. Also reports
/// the open streams as a gauge.</summary>
internal sealed class StatusStreamHeartbeat : BackgroundService
{
    private readonly StatusStreamHub _hub;
    private readonly IOptions<StatusStreamOptions> _options;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;

    public StatusStreamHeartbeat(
        StatusStreamHub hub, IOptions<StatusStreamOptions> options, IHostApplicationLifetime lifetime, TimeProvider time, IMeterFactory meters)
    {
        _hub = hub;
        _options = options;
        _lifetime = lifetime;
        _time = time;
        meters.Create(Telemetry.Name).CreateObservableGauge(
            "bria.statusbridge.status_streams", () => hub.OpenStreams, "{stream}", "Status streams (SSE) open on this replica.");
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server stops taking requests and waits for open ones: the streams end first, so it need not wait.
        _lifetime.ApplicationStopping.Register(_hub.Close);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.HeartbeatInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _hub.Beat();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
