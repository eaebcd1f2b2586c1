using System.Diagnostics;
using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The polling bound of one lag-vs-budget run (scenario seconds) at the calls per job it was computed for.</summary>
internal sealed record PollingBoundResult(double P50, double P95, double P99, double CallsPerJob)
{
    /// <summary>Bounds the run's own durations, grouped by kind, at <paramref name="callsPerJob"/>.</summary>
    public static PollingBoundResult For(IReadOnlyList<LagArrival> plan, double callsPerJob, Progress progress)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<IReadOnlyList<double>> byKind = [.. plan.GroupBy(p => p.Kind).Select(g => (IReadOnlyList<double>)[.. g.Select(p => p.Duration)])];
        var bound = new PollingBoundResult(
            PollingBound.Lag(byKind, callsPerJob, 50),
            PollingBound.Lag(byKind, callsPerJob, 95),
            PollingBound.Lag(byKind, callsPerJob, 99),
            callsPerJob);
        progress.Phase($"polling bound at {callsPerJob:0.00} calls/job: p95 {bound.P95:0.00} s ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s to compute)");
        return bound;
    }
}
