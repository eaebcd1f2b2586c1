using System.Diagnostics;
using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The polling bound of one lag-vs-budget workload (scenario seconds) at the calls per job it was computed for.</summary>
internal sealed record PollingBoundResult(double P50, double P95, double P99, double CallsPerJob)
{
    /// <summary>Atoms each kind's duration distribution is cut into: enough that the bound no longer moves with it (the
    /// tests compare 250 with 1,000, and 1,000 with 2,000 on the mix's videos), few enough for seconds per percentile.
    /// Every kind gets as many, whatever its share: the bound is optimistic by up to the gap between two atoms (a poll
    /// at an atom catches its whole mass at no lag), so a kind with few atoms over a long spread (videos of 40-180 s
    /// given 30% of 1,000 atoms: 0.47 s apart) would understate the lag a real poller can reach.</summary>
    public const int Atoms = 1000;

    /// <summary>Bounds the workload's duration distribution (each kind's profile cut into equally likely quantiles,
    /// weighted by the kind's share of the jobs) at <paramref name="callsPerJob"/>. The distribution rather than the
    /// run's own durations: with few jobs those would tell the poller nearly every job's duration.</summary>
    public static PollingBoundResult For(LagWorkload workload, double callsPerJob, Progress progress)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.GetTimestamp();
        var byKind = Quantiles(workload, Atoms);
        var shares = Shares(workload);
        var bound = new PollingBoundResult(
            PollingBound.Lag(byKind, callsPerJob, 50, shares),
            PollingBound.Lag(byKind, callsPerJob, 95, shares),
            PollingBound.Lag(byKind, callsPerJob, 99, shares),
            callsPerJob);
        progress.Phase($"polling bound at {callsPerJob:0.00} calls/job: p95 {bound.P95:0.00} s ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s to compute)");
        return bound;
    }

    /// <summary>Atoms per kind for <see cref="Budgeted"/>: its programme runs once per job (prices differ by time), so
    /// fewer; the report gives the budget-free bound on the same atoms beside it, which says what the budget adds.</summary>
    public const int BudgetedAtoms = 300;

    /// <summary>The polling bound held to the budget (<see cref="BudgetedPollingBound"/>) at the 95th percentile, over
    /// every job of the run (<paramref name="jobs"/>: the measured ones and the steady load around them, which spend
    /// the same budget), at <paramref name="callsPerJob"/> and <paramref name="budget"/> calls per scenario minute.</summary>
    public static BudgetedPollingBound.Result Budgeted(LagWorkload workload, IReadOnlyList<LagArrival> jobs, double callsPerJob, double budget, Progress progress)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.GetTimestamp();
        var kinds = workload.Kinds.Select(k => k.Kind).ToList();
        var result = BudgetedPollingBound.Lag(
            Quantiles(workload, BudgetedAtoms),
            [.. jobs.Select(j => (j.At, kinds.IndexOf(j.Kind)))],
            callsPerJob,
            budget,
            windowSeconds: 60,
            percentile: 95);
        progress.Phase($"polling bound within the budget at {callsPerJob:0.00} calls/job: p95 {result.Lag:0.00} s, {result.Unbudgeted:0.00} s without it on the same {BudgetedAtoms} atoms ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s to compute)");
        return result;
    }

    /// <summary>Each kind's durations at <c>(i + 0.5) / n</c> quantiles, <paramref name="atoms"/> per kind.</summary>
    internal static IReadOnlyList<IReadOnlyList<double>> Quantiles(LagWorkload workload, int atoms) =>
        [.. workload.Kinds.Select(kind => (IReadOnlyList<double>)[.. Enumerable.Range(0, atoms).Select(i => kind.Profile.Draw((i + 0.5) / atoms).TotalSeconds)])];

    /// <summary>Each kind's share of the jobs, in the order of <see cref="Quantiles"/>.</summary>
    internal static IReadOnlyList<double> Shares(LagWorkload workload) => [.. workload.Kinds.Select(k => k.Share / workload.Kinds.Sum(x => x.Share))];
}
