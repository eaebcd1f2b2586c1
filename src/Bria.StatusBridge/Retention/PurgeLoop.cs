using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Retention;

/// <summary>Removes history past its retention period, on every replica: each step purges one small batch of every
/// kind (each batch is its own short transaction, and replicas skip each other's rows), then sleeps the batch pause
/// while a backlog remains or the jittered interval once caught up. Reads the options at every step, so a changed
/// retention period applies without a restart.</summary>
internal sealed partial class PurgeLoop(
    IEnumerable<IRetentionTarget> targets,
    StorageSpace space,
    RetentionMetrics metrics,
    IOptionsMonitor<RetentionOptions> options,
    TimeProvider time,
    ILogger<PurgeLoop> logger) : ILoopStep
{
    private readonly IReadOnlyList<(RetentionKind Kind, IRetentionTarget Target)> _targets =
        [.. RetentionPolicy.Kinds.SelectMany(kind => targets.Where(t => t.Kinds.Contains(kind)).Select(t => (kind, t)))];

    private int _purgedSinceReclaim;

    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var current = options.CurrentValue;
        if (!current.Enabled)
        {
            return current.Interval;
        }

        var now = time.GetUtcNow();
        var backlog = false;
        foreach (var (kind, target) in _targets)
        {
            var purged = await target.PurgeAsync(kind, RetentionPolicy.HorizonOf(current, kind, now), now, current.BatchSize, stoppingToken);
            metrics.Purged(kind, purged);
            _purgedSinceReclaim += purged;
            backlog |= purged >= current.BatchSize;
            if (purged > 0)
            {
                LogPurged(logger, purged, kind);
            }

            // Between kinds too: the bridge's own statements get the database first.
            await Task.Yield();
        }

        if (!backlog)
        {
            await AfterSweepAsync(current, stoppingToken);
        }

        return RetentionPolicy.NextWait(current, backlog, Random.Shared.NextDouble());
    }

    // Once caught up: the oldest retained row of every kind for the metrics, and the freed pages back to the file system.
    private async Task AfterSweepAsync(RetentionOptions current, CancellationToken stoppingToken)
    {
        foreach (var (kind, target) in _targets)
        {
            metrics.OldestRetained(kind, await target.OldestRetainedAsync(kind, stoppingToken));
        }

        if (_purgedSinceReclaim > 0 && await space.ReclaimAsync(current.VacuumPages, stoppingToken))
        {
            _purgedSinceReclaim = 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purged {Rows} rows of {Kind}")]
    private static partial void LogPurged(ILogger logger, int rows, RetentionKind kind);
}
