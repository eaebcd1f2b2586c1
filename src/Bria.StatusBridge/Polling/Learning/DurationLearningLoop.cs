using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>One step of learning: write the durations this replica observed into the shared estimates (a short
/// transaction), and read back what every replica wrote, once per <see cref="LearningOptions.RefreshInterval"/>.</summary>
internal sealed partial class DurationLearningLoop(
    DurationLearning learning,
    IDurationEstimateStore store,
    PollLearningMetrics metrics,
    IOptions<PollingOptions> options,
    TimeProvider time,
    ILogger<DurationLearningLoop> logger) : ILoopStep
{
    private readonly LearningOptions _options = options.Value.Learning;

    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var pending = learning.TakePending();
        try
        {
            var estimates = await store.MergeAsync(pending, _options.DecayPerJob, time.GetUtcNow(), stoppingToken);
            learning.Replace(estimates);
        }
        catch
        {
            // Written with the next step; the loop logs the failure (or waits out the store).
            learning.Return(pending);
            throw;
        }

        metrics.Learned(pending.Count);
        if (pending.Count > 0)
        {
            LogMerged(logger, pending.Count);
        }

        return _options.RefreshInterval;
    }

    /// <summary>A graceful stop writes what this replica observed since its last step (the polls stop first), so that no
    /// finished job's duration leaves with it.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var pending = learning.TakePending();
        if (pending.Count == 0)
        {
            return;
        }

        await store.MergeAsync(pending, _options.DecayPerJob, time.GetUtcNow(), cancellationToken);
        metrics.Learned(pending.Count);
        LogMerged(logger, pending.Count);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Folded {Count} observed job durations into the shared estimates")]
    private static partial void LogMerged(ILogger logger, int count);
}
