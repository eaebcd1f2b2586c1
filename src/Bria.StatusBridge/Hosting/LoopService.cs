namespace Bria.StatusBridge.Hosting;

/// <summary>Holds a loop and nothing else: runs the step, sleeps until it is due again or woken, and survives the
/// step's failures so that one bad iteration never stops the host.</summary>
internal sealed partial class LoopService<TStep, TSignal>(TStep step, TSignal signal, TimeProvider time, ILogger<LoopService<TStep, TSignal>> logger)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Step} failed; trying again in {Delay}")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string step, TimeSpan delay);
}
