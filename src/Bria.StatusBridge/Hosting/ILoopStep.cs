namespace Bria.StatusBridge.Hosting;

/// <summary>One step of a background loop; it answers how long the loop may sleep before the next step.</summary>
internal interface ILoopStep
{
    Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken);
}
