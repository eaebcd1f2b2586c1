namespace Bria.StatusBridge.Hosting;

/// <summary>One step of a background loop; it answers how long the loop may sleep before the next step.</summary>
internal interface ILoopStep
{
    Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken);

    /// <summary>Runs once after the loop has stopped (a graceful stop): hands back what this replica still holds, so that
    /// its successor or another replica takes it at once. Bounded by the host's shutdown timeout.</summary>
    Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
