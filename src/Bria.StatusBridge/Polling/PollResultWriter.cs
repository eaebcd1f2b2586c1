using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.Polling;

/// <summary>Writes poll results back in batches, one transaction each; a failed write is retried with the same batch.</summary>
internal sealed partial class PollResultWriter(
    PollResultQueue queue,
    ITrackingStore store,
    PollWakeSignal pollSignal,
    ReplicaIdentity replica,
    StoreGate storeGate,
    TimeProvider time,
    ILogger<PollResultWriter> logger) : BackgroundService
{
    private const int MaxBatch = 500;
    private static readonly Backoff RetryBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

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
            queue.Written(batch.Count);
            // The written results free poll slots, and the scheduler planned its sleep while these rows were
            // leased: let it see their next poll times.
            pollSignal.Wake();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The poll loop stopped first (hosted services stop in reverse order): write what it left, then hand
        // back this replica's leases so that a restart or another replica polls those requests at once.
        try
        {
            while (queue.Count > 0)
            {
                await store.ApplyAsync(replica.Id, await queue.TakeBatchAsync(MaxBatch, cancellationToken), time.GetUtcNow(), cancellationToken);
            }

            var released = await store.ReleaseLeasesAsync(replica.Id, cancellationToken);
            LogLeasesReleased(logger, released);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The leases simply run out instead.
            LogReleaseFailed(logger, exception);
        }
    }

    private async Task WriteAsync(IReadOnlyList<PollUpdate> batch, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                await store.ApplyAsync(replica.Id, batch, time.GetUtcNow(), stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Unwritten results are polled again once their leases run out.
                return;
            }
            catch (Exception exception) when (StoreFailures.IsUnavailable(exception))
            {
                // Logged once by the gate; the same batch is written when a probe finds the store back.
                storeGate.ReportUnreachable(exception);
                try
                {
                    await storeGate.WaitUntilOpenAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
            catch (Exception exception)
            {
                var delay = RetryBackoff.After(++failures);
                LogWriteFailed(logger, exception, batch.Count, delay);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: handed back {Count} poll leases")]
    private static partial void LogLeasesReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: could not hand back poll leases; they run out by themselves")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} poll results failed; retrying in {Delay}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count, TimeSpan delay);
}
