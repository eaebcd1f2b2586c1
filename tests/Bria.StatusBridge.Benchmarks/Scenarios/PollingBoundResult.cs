using System.Diagnostics;
using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The polling bound of one lag-vs-budget workload (scenario seconds) at the calls per job it was computed for.</summary>
internal sealed record PollingBoundResult(double P50, double P95, double P99, double CallsPerJob)
{
    /// <summary>Atoms the duration distribution is cut into: enough that the bound no longer moves with it (the tests
    /// compare 250 with 1,000), few enough for a second or two per percentile.</summary>
    public const int Atoms = 1000;

    /// <summary>Bounds the workload's duration distribution (each kind's profile cut into equally likely quantiles, as
    /// many per kind as its share of the jobs) at <paramref name="callsPerJob"/>. The distribution rather than the run's
    /// own durations: with few jobs those would tell the poller nearly every job's duration.</summary>
    public static PollingBoundResult For(LagWorkload workload, double callsPerJob, Progress progress)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.GetTimestamp();
        var byKind = Quantiles(workload, Atoms);
        var bound = new PollingBoundResult(
            PollingBound.Lag(byKind, callsPerJob, 50),
            PollingBound.Lag(byKind, callsPerJob, 95),
            PollingBound.Lag(byKind, callsPerJob, 99),
            callsPerJob);
        progress.Phase($"polling bound at {callsPerJob:0.00} calls/job: p95 {bound.P95:0.00} s ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s to compute)");
        return bound;
    }

    /// <summary>Each kind's durations at <c>(i + 0.5) / n</c> quantiles, n in proportion to the kind's share.</summary>
    internal static IReadOnlyList<IReadOnlyList<double>> Quantiles(LagWorkload workload, int atoms) =>
        [.. workload.Kinds.Select(kind =>
        {
            var n = Math.Max(1, (int)Math.Round(atoms * kind.Share));
            return (IReadOnlyList<double>)[.. Enumerable.Range(0, n).Select(i => kind.Profile.Draw((i + 0.5) / n).TotalSeconds)];
        })];
}
