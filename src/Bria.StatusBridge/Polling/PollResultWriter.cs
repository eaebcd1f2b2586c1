using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Polling;

/// <summary>Writes poll results back in batches, one transaction each; a failed write is retried with the same batch.</summary>
internal sealed partial class PollResultWriter(
    PollResultQueue queue,
    ITrackingStore store,
    OutboxWakeSignal outboxSignal,
    WebhookWakeSignal webhookSignal,
    ReplicaIdentity replica,
    TimeProvider time,
    ILogger<PollResultWriter> logger) : BackgroundService
{
    private const int MaxBatch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<PollUpdate> batch;
            try
            {
                batch = await queue.TakeBatchAsync(MaxBatch, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await WriteAsync(batch, stoppingToken);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PollUpdate> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                if (await store.ApplyAsync(replica.Id, batch, time.GetUtcNow(), stoppingToken) > 0)
                {
                    outboxSignal.Wake();
                    webhookSignal.Wake();
                }

                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Unwritten results are polled again once their leases run out.
                return;
            }
            catch (Exception exception)
            {
                LogWriteFailed(logger, exception, batch.Count, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} poll results failed; retrying in {Delay}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, TimeSpan delay);
}
