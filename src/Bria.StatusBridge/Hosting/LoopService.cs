using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.Hosting;

/// <summary>Holds a loop and nothing else: runs the step, sleeps until it is due again or woken, and survives the
/// step's failures so that one bad iteration never stops the host.</summary>
internal sealed partial class LoopService<TStep, TSignal>(
    TStep step, TSignal signal, StoreGate storeGate, TimeProvider time, ILogger<LoopService<TStep, TSignal>> logger)
    : BackgroundService
    where TStep : ILoopStep
    where TSignal : WakeSignal
{
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await step.RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (StoreFailures.IsUnavailable(exception))
            {
                // The store outage is logged once, by the gate; the step tries again once the store answers a probe.
                storeGate.ReportUnreachable(exception);
                LogStepWaitsForStore(logger, typeof(TStep).Name);
                wait = ErrorDelay;
                if (!await WaitForStoreAsync(stoppingToken))
                {
                    return;
                }
            }
            catch (Exception exception)
            {
                LogStepFailed(logger, exception, typeof(TStep).Name, ErrorDelay);
                wait = ErrorDelay;
            }

            try
            {
                await signal.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await step.StoppedAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Leases the step still holds run out, or are taken back at once by a restart under the same name.
            LogStopFailed(logger, exception, typeof(TStep).Name);
        }
    }

    private async Task<bool> WaitForStoreAsync(CancellationToken stoppingToken)
    {
        try
        {
            await storeGate.WaitUntilOpenAsync(stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Step} waits for the store to answer again")]
    private static partial void LogStepWaitsForStore(ILogger logger, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} could not hand back what it holds on stopping (leases run out by themselves; unwritten durations are lost)")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Step} failed; trying again in {Delay}")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string step, TimeSpan delay);
}
