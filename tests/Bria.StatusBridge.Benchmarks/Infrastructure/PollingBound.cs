namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The polling bound: the lowest lag percentile any poller can reach at a given average of status calls per
/// job when it knows the distribution of job durations (per endpoint kind) but not each job's own duration.</summary>
/// <remarks>
/// Such a poller can do no better than one schedule of poll times per kind, counted from each job's start, possibly
/// drawn at random per job from a few schedules. A job of duration D polled at t1 &lt; t2 &lt; ... makes one call per poll
/// up to the first tk &gt;= D and is noticed with lag tk - D. The distribution is the run's own durations (each job one
/// atom), so every poll can sit at some job's duration: moving a poll down to the nearest duration below it changes no
/// job's calls and shortens lags. For a lag target q, a dynamic programme over "last poll at the i-th duration" finds
/// the schedules minimising calls + nu * share(lag &gt; q); searching nu (the Lagrange dual) gives the fewest calls per
/// job any mix of schedules needs so that share(lag &gt; q) is at most 1 - percentile; that number falls as q grows,
/// and a bisection on q finds the smallest q the given calls per job affords. Kinds share q and nu, so the calls go
/// to the kind where they buy the most. O(n^2) per programme, about 1,500 programmes: a second or two for 1,000 jobs.
/// </remarks>
internal static class PollingBound
{
    private const int LagSteps = 24;
    private const int MultiplierSteps = 48;

    /// <summary>The lag (same unit as the durations) at <paramref name="percentile"/> (0-100) of the best schedule
    /// spending on average <paramref name="callsPerJob"/> status calls per job; NaN when no schedule is that cheap
    /// (below one call per job).</summary>
    /// <param name="durationsByKind">Every job's duration, grouped by endpoint kind (a poller knows a job's kind).</param>
    /// <param name="callsPerJob">The average status calls per job the schedule may spend.</param>
    /// <param name="percentile">Which lag percentile to bound (95 for p95).</param>
    /// <param name="shares">Each kind's share of all jobs (summing to 1), when its durations are a sample of its own
    /// distribution rather than its jobs (null: each duration is one job, so a kind's share is its count).</param>
    public static double Lag(IReadOnlyList<IReadOnlyList<double>> durationsByKind, double callsPerJob, double percentile, IReadOnlyList<double>? shares = null)
    {
        ArgumentNullException.ThrowIfNull(durationsByKind);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (shares is not null && shares.Count != durationsByKind.Count)
        {
            throw new ArgumentException("One share per kind.", nameof(shares));
        }

        var total = durationsByKind.Sum(k => k.Count);
        if (total == 0 || double.IsNaN(callsPerJob) || callsPerJob < 1 - 1e-9)
        {
            return double.NaN;
        }

        var kinds = durationsByKind
            .Select((k, i) => (Durations: k, Weight: shares is null ? 1.0 / total : shares[i] / Math.Max(1, k.Count)))
            .Where(k => k.Durations.Count > 0)
            .Select(k => new Kind(k.Durations, k.Weight))
            .ToArray();
        var allowedMiss = 1 - (percentile / 100);
        if (Feasible(kinds, 0, allowedMiss, callsPerJob))
        {
            return 0;
        }

        // Lag max(D) - min(D) is always affordable at one call per job: a single poll at the longest duration.
        double low = 0, high = kinds.Max(k => k.Times[^1]) - kinds.Min(k => k.Times[0]);
        for (var step = 0; step < LagSteps; step++)
        {
            var mid = (low + high) / 2;
            if (Feasible(kinds, mid, allowedMiss, callsPerJob))
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return high;
    }

    /// <summary>Whether some mix of schedules keeps share(lag &gt; q) within <paramref name="allowedMiss"/> on at most
    /// <paramref name="callsPerJob"/> calls per job: max over nu of min(calls + nu * (miss - allowed)) is that fewest.</summary>
    private static bool Feasible(Kind[] kinds, double lag, double allowedMiss, double callsPerJob)
    {
        var (calls, miss) = Solve(kinds, lag, 0);
        if (miss <= allowedMiss + 1e-12)
        {
            return calls <= callsPerJob + 1e-9;
        }

        // The dual is concave in nu; its slope is miss - allowed at the schedule chosen. Search nu on a log scale.
        double low = Math.Log(1e-6), high = Math.Log(1e12), best = double.NegativeInfinity;
        for (var step = 0; step < MultiplierSteps; step++)
        {
            var mid = (low + high) / 2;
            var nu = Math.Exp(mid);
            (calls, miss) = Solve(kinds, lag, nu);
            best = Math.Max(best, calls + (nu * (miss - allowedMiss)));
            if (best > callsPerJob + 1e-9)
            {
                return false;
            }

            if (miss > allowedMiss)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return true;
    }

    /// <summary>Calls per job and share of jobs noticed later than <paramref name="lag"/> of the schedules minimising
    /// calls + nu * miss, one per kind.</summary>
    private static (double Calls, double Miss) Solve(Kind[] kinds, double lag, double nu)
    {
        double calls = 0, miss = 0;
        foreach (var kind in kinds)
        {
            var (c, m) = kind.Solve(lag, nu);
            calls += c;
            miss += m;
        }

        return (calls, miss);
    }

    /// <summary>One kind's distinct durations (ascending) with the share of all jobs at each.</summary>
    private sealed class Kind
    {
        private readonly double[] _share;
        private readonly double[] _cumulative;
        private readonly double[] _value;
        private readonly double[] _calls;
        private readonly double[] _miss;
        private readonly int[] _late;

        /// <param name="durations">The kind's durations, each an atom of the distribution.</param>
        /// <param name="weight">Each atom's share of all jobs.</param>
        public Kind(IReadOnlyList<double> durations, double weight)
        {
            var groups = durations.GroupBy(d => d).OrderBy(g => g.Key).ToArray();
            Times = [.. groups.Select(g => g.Key)];
            _share = [.. groups.Select(g => g.Count() * weight)];

            // _cumulative[i]: share of this kind's jobs with a duration among the first i distinct ones.
            _cumulative = new double[Times.Length + 1];
            for (var i = 0; i < Times.Length; i++)
            {
                _cumulative[i + 1] = _cumulative[i] + _share[i];
            }

            _value = new double[Times.Length + 1];
            _calls = new double[Times.Length + 1];
            _miss = new double[Times.Length + 1];
            _late = new int[Times.Length];
        }

        public double[] Times { get; }

        /// <summary>State s: the last poll was at Times[s - 1] (s = 0: the job has just started), so the jobs among the
        /// first s durations are done. The next poll at Times[j - 1] (j &gt; s) costs one call for every job still
        /// running and misses the ones among s+1..j that ended more than <paramref name="lag"/> before it.</summary>
        public (double Calls, double Miss) Solve(double lag, double nu)
        {
            var n = Times.Length;
            for (var j = 0; j < n; j++)
            {
                // Distinct durations below Times[j] - lag: a poll at Times[j] is late for those (when not yet done).
                _late[j] = Sorted.FirstAtLeast(Times, Times[j] - lag);
            }

            _value[n] = _calls[n] = _miss[n] = 0;
            for (var s = n - 1; s >= 0; s--)
            {
                var running = _cumulative[n] - _cumulative[s];
                var best = double.PositiveInfinity;
                double bestCalls = 0, bestMiss = 0;
                for (var j = s + 1; j <= n; j++)
                {
                    var late = _late[j - 1];
                    var missed = late > s ? _cumulative[late] - _cumulative[s] : 0;
                    var value = running + (nu * missed) + _value[j];
                    if (value < best)
                    {
                        best = value;
                        bestCalls = running + _calls[j];
                        bestMiss = missed + _miss[j];
                    }
                }

                _value[s] = best;
                _calls[s] = bestCalls;
                _miss[s] = bestMiss;
            }

            return (_calls[0], _miss[0]);
        }
    }
}
