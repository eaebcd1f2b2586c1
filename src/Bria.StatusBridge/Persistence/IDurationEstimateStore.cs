using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Persistence;

/// <summary>The learned durations per endpoint kind, shared by every replica (table <c>duration_estimates</c>).</summary>
internal interface IDurationEstimateStore
{
    /// <summary>Folds <paramref name="observations"/> into the shared estimates in one transaction (each earlier job's
    /// weight multiplied by <paramref name="decayPerJob"/> per job folded in) and returns every kind's estimate after it.</summary>
    Task<IReadOnlyList<DurationEstimate>> MergeAsync(
        IReadOnlyList<DurationObservation> observations, double decayPerJob, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every kind's estimate, as stored.</summary>
    Task<IReadOnlyList<DurationEstimate>> ReadAsync(CancellationToken cancellationToken);
}
