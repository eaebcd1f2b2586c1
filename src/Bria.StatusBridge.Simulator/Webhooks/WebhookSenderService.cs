namespace Bria.StatusBridge.Simulator.Webhooks;

/// <summary>The loop that sends Bria's own webhooks; the work is in <see cref="WebhookDispatcher"/>.</summary>
internal sealed class WebhookSenderService(WebhookDispatcher dispatcher, ILogger<WebhookSenderService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One failed iteration must not stop the sender: log it and go on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                SimulatorLog.WebhookLoopFailed(logger, exception);

                // A real-time pause against a hot loop, not the simulated clock: a test's clock may stand still.
                await Task.Delay(TimeSpan.FromMilliseconds(100), stoppingToken);
            }
        }
    }
}
