namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The polling bound held to the budget: the lowest lag percentile any poller can reach on one run's jobs (their
/// arrival times and kinds known, each job's duration not) at a given average of status calls per job while it makes
/// at most <c>budget</c> calls in every window of <c>window</c> seconds.</summary>
/// <remarks>
/// <para><see cref="PollingBound"/> lets a poller spend its calls whenever they buy the most: as many in a minute when
/// twice the usual number of jobs run as in a quiet one. A real poller cannot: no minute may exceed the budget. When
/// the number of running jobs swings slowly (videos of 40-180 s), the busiest minutes need more calls than the budget
/// has, and any poller's lag grows there. This bound keeps that constraint, relaxed just enough to compute: the
/// windows are those starting every half window (a poller within the budget in every sliding window is within it in
/// these), the calls in each counted in expectation over the durations (so the swings from the arrivals are in it, the
/// swings from which jobs happen to run long are not: the bound stays below what any budgeted poller can reach), and
/// the share of late jobs too.</para>
/// <para>For a lag target q, Lagrange multipliers price a call (one for the calls per job, one per window for the
/// budget: a call at time t costs the sum of the prices of the windows holding t) and a late job costs 1; each job's
/// cheapest schedule under those prices is a dynamic programme over its kind's atoms like
/// <see cref="PollingBound"/>'s, with each poll priced at its own time. For any prices, the sum of those cheapest costs
/// less the priced allowances (calls per job times jobs, the budget per window) is at most the fewest late jobs any
/// budgeted poller reaches at q (weak duality); when it exceeds the allowed late share, q is out of reach. Prices
/// start at the best single price for calls (where this bound equals <see cref="PollingBound"/> on the same atoms) and
/// climb by projected subgradient steps (Polyak's step towards the allowed share); prices that are not optimal only
/// weaken the bound, never make it wrong. The smallest q not proved out of reach is the bound.</para>
/// </remarks>
internal static class BudgetedPollingBound
{
    private const int MultiplierSteps = 48;
    private const int SubgradientSteps = 120;
    private const int RefineSteps = 10;

    /// <summary>The lag (seconds) at <paramref name="percentile"/> no poller within the budget reaches below.</summary>
    /// <param name="atomsByKind">Each kind's durations (seconds), equally likely: the distribution a poller knows.</param>
    /// <param name="jobs">Every job of the run: its arrival (seconds) and the index of its kind in
    /// <paramref name="atomsByKind"/>.</param>
    /// <param name="callsPerJob">The average status calls per job the poller may spend.</param>
    /// <param name="budget">Calls allowed in any window.</param>
    /// <param name="windowSeconds">The budget's window.</param>
    /// <param name="percentile">Which lag percentile to bound (95 for p95).</param>
    public static Result Lag(
        IReadOnlyList<IReadOnlyList<double>> atomsByKind,
        IReadOnlyList<(double At, int Kind)> jobs,
        double callsPerJob,
        double budget,
        double windowSeconds,
        double percentile)
    {
        ArgumentNullException.ThrowIfNull(atomsByKind);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (jobs.Count == 0 || double.IsNaN(callsPerJob) || callsPerJob < 1 - 1e-9)
        {
            return new Result(double.NaN, double.NaN);
        }

        var problem = new Problem(atomsByKind, jobs, callsPerJob, budget, windowSeconds, 1 - (percentile / 100));

        // Without the windows: the best single price for calls (the polling bound on these atoms), by bisection on q.
        double low = 0, high = problem.Span;
        if (problem.ProvedOutOfReach(0, windows: false))
        {
            for (var step = 0; step < 24; step++)
            {
                var mid = (low + high) / 2;
                if (problem.ProvedOutOfReach(mid, windows: false))
                {
                    low = mid;
                }
                else
                {
                    high = mid;
                }
            }
        }
        else
        {
            high = 0;
        }

        var unbudgeted = high;

        // With the windows: up from the unbudgeted bound in doubling steps until one is not proved out of reach, then
        // halving the last step.
        low = unbudgeted;
        var stride = Math.Max(unbudgeted * 0.05, 0.05);
        high = low + stride;
        while (high < problem.Span && problem.ProvedOutOfReach(high, windows: true))
        {
            low = high;
            stride *= 2;
            high = low + stride;
        }

        for (var step = 0; step < RefineSteps; step++)
        {
            var mid = (low + high) / 2;
            if (problem.ProvedOutOfReach(mid, windows: true))
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return new Result(low, unbudgeted);
    }

    /// <summary>The bound with the budget (<paramref name="Lag"/>: no q below it is reachable; the last q proved out of
    /// reach) and without it on the same atoms (<paramref name="Unbudgeted"/>: <see cref="PollingBound"/>'s).</summary>
    public sealed record Result(double Lag, double Unbudgeted);

    private sealed class Problem
    {
        private readonly Kind[] _kinds;
        private readonly double[] _at;
        private readonly int[] _kindOf;
        private readonly double _callsPerJob;
        private readonly double _budget;
        private readonly double _start;
        private readonly double _half;
        private readonly int _windows;
        private readonly double _allowedMiss;

        public Problem(IReadOnlyList<IReadOnlyList<double>> atomsByKind, IReadOnlyList<(double At, int Kind)> jobs, double callsPerJob, double budget, double windowSeconds, double allowedShare)
        {
            _kinds = [.. atomsByKind.Select(a => new Kind(a))];
            _at = [.. jobs.Select(j => j.At)];
            _kindOf = [.. jobs.Select(j => j.Kind)];
            if (_kindOf.Any(k => k < 0 || k >= _kinds.Length || _kinds[k].Count == 0))
            {
                throw new ArgumentException("Every job's kind needs atoms.", nameof(jobs));
            }

            _callsPerJob = callsPerJob;
            _budget = budget;
            _half = windowSeconds / 2;
            // Windows start every half window from half a window before the first arrival until past the last poll.
            _start = _at.Min() - _half;
            var end = _at.Max() + _kinds.Max(k => k.Longest);
            _windows = (int)Math.Ceiling((end - _start) / _half) + 1;
            _allowedMiss = allowedShare * jobs.Count;
            Span = _kinds.Max(k => k.Longest) + (_at.Max() - _at.Min()) + windowSeconds;
        }

        /// <summary>A lag no poller needs to exceed: everything noticed after the last arrival's longest job.</summary>
        public double Span { get; }

        /// <summary>Whether some prices prove that no poller (within the windows' budget when <paramref name="windows"/>)
        /// keeps the share of jobs later than <paramref name="lag"/> within the allowed share.</summary>
        public bool ProvedOutOfReach(double lag, bool windows)
        {
            foreach (var kind in _kinds)
            {
                kind.Prepare(lag);
            }

            // The price of a call alone: the cheapest schedule is the same for every job of a kind.
            var counts = new double[_kinds.Length];
            foreach (var k in _kindOf)
            {
                counts[k]++;
            }

            double Dual(double price, out double calls)
            {
                double value = 0;
                calls = 0;
                for (var k = 0; k < _kinds.Length; k++)
                {
                    if (counts[k] > 0)
                    {
                        var (cost, kindCalls) = _kinds[k].SolveFlat(price);
                        value += counts[k] * cost;
                        calls += counts[k] * kindCalls;
                    }
                }

                return value - (price * _callsPerJob * _kindOf.Length);
            }

            double low = Math.Log(1e-9), high = Math.Log(1e6), best = double.NegativeInfinity, bestPrice = 0;
            for (var step = 0; step < MultiplierSteps; step++)
            {
                var mid = (low + high) / 2;
                var price = Math.Exp(mid);
                var value = Dual(price, out var calls);
                if (value > best)
                {
                    (best, bestPrice) = (value, price);
                }

                if (best > _allowedMiss + 1e-9)
                {
                    return true;
                }

                // The slope in the price is calls - allowance: above it, a dearer call pays.
                if (calls > _callsPerJob * _kindOf.Length)
                {
                    low = mid;
                }
                else
                {
                    high = mid;
                }
            }

            return windows && ProvedByWindows(bestPrice);
        }

        private bool ProvedByWindows(double startPrice)
        {
            var window = new double[_windows];
            var callsIn = new double[_windows];
            var segment = new double[_windows + 1];
            var perCall = startPrice;
            // Polyak's step aims a little above the allowed share: reaching it is the proof.
            var target = (_allowedMiss * 1.02) + 1e-6;
            for (var step = 0; step < SubgradientSteps; step++)
            {
                // A call at time t lies in segment floor((t - start) / half): in the windows starting there and one before.
                for (var s = 0; s <= _windows; s++)
                {
                    segment[s] = (s < _windows ? window[s] : 0) + (s > 0 ? window[s - 1] : 0);
                }

                Array.Clear(callsIn);
                double value = 0, calls = 0;
                for (var j = 0; j < _at.Length; j++)
                {
                    var (cost, jobCalls) = _kinds[_kindOf[j]].SolveAt(_at[j], perCall, segment, _start, _half, callsIn);
                    value += cost;
                    calls += jobCalls;
                }

                value -= perCall * _callsPerJob * _at.Length;
                double norm = 0;
                for (var w = 0; w < _windows; w++)
                {
                    value -= window[w] * _budget;
                    var g = callsIn[w] - _budget;
                    // Projected: a window with no price and calls under its budget has no direction to go.
                    norm += window[w] > 0 || g > 0 ? g * g : 0;
                }

                if (value > _allowedMiss + 1e-9)
                {
                    return true;
                }

                var gCalls = calls - (_callsPerJob * _at.Length);
                norm += perCall > 0 || gCalls > 0 ? gCalls * gCalls : 0;
                if (norm <= 1e-12)
                {
                    return false;
                }

                var stride = (target - value) / norm;
                perCall = Math.Max(0, perCall + (stride * gCalls));
                for (var w = 0; w < _windows; w++)
                {
                    window[w] = Math.Max(0, window[w] + (stride * (callsIn[w] - _budget)));
                }
            }

            return false;
        }
    }

    /// <summary>One kind's distinct durations (ascending), each with its share of the kind's jobs.</summary>
    /// <remarks>With one price for every call, polls sit at durations (<see cref="PollingBound"/>: moving one down to
    /// the duration below changes no job's calls and shortens lags). With prices that vary in time a later poll can be
    /// cheaper, so a job's candidate polls after its j-th duration are that duration and every start of a segment
    /// (where prices change) before the next duration, or after the last one: between two candidates the price is
    /// the same and a later poll only notices later.</remarks>
    private sealed class Kind
    {
        private readonly double[] _times;
        private readonly double[] _cumulative;
        private readonly int[] _late;
        private readonly double[] _value;
        private readonly double[] _calls;
        private readonly int[] _next;
        private readonly int[] _nextCandidate;
        private readonly int[] _firstCandidate;
        private readonly List<double> _candidateTime = [];
        private readonly List<double> _candidatePrice = [];
        private readonly List<int> _candidateLate = [];
        private double _lag;

        public Kind(IReadOnlyList<double> durations)
        {
            var groups = durations.GroupBy(d => d).OrderBy(g => g.Key).ToArray();
            _times = [.. groups.Select(g => g.Key)];
            _cumulative = new double[_times.Length + 1];
            for (var i = 0; i < _times.Length; i++)
            {
                _cumulative[i + 1] = _cumulative[i] + ((double)groups[i].Count() / durations.Count);
            }

            _late = new int[_times.Length];
            _value = new double[_times.Length + 1];
            _calls = new double[_times.Length + 1];
            _next = new int[_times.Length + 1];
            _nextCandidate = new int[_times.Length + 1];
            _firstCandidate = new int[_times.Length + 1];
        }

        public int Count => _times.Length;

        public double Longest => _times.Length > 0 ? _times[^1] : 0;

        /// <summary>For lag target <paramref name="lag"/>: the first duration a poll at each duration is in time for.</summary>
        public void Prepare(double lag)
        {
            _lag = lag;
            for (var j = 0; j < _times.Length; j++)
            {
                _late[j] = Sorted.FirstAtLeast(_times, _times[j] - lag);
            }
        }

        /// <summary>The cheapest schedule of one job when every call costs <paramref name="price"/>: its cost (calls
        /// times price plus the chance it is late) and its expected calls.</summary>
        public (double Cost, double Calls) SolveFlat(double price)
        {
            ClearCandidates();
            for (var j = 0; j < _times.Length; j++)
            {
                _firstCandidate[j] = _candidateTime.Count;
                AddCandidate(_times[j], price, _late[j]);
            }

            _firstCandidate[_times.Length] = _candidateTime.Count;
            Solve();
            return (_value[0], _calls[0]);
        }

        /// <summary>The cheapest schedule of a job arriving at <paramref name="at"/> when a call at time t costs
        /// <paramref name="perCall"/> plus its segment's price (segments of <paramref name="half"/> seconds from
        /// <paramref name="start"/>); adds its expected calls to the windows they fall in.</summary>
        public (double Cost, double Calls) SolveAt(double at, double perCall, double[] segment, double start, double half, double[] callsIn)
        {
            ClearCandidates();
            var last = segment.Length - 1;
            for (var j = 0; j < _times.Length; j++)
            {
                _firstCandidate[j] = _candidateTime.Count;
                var time = _times[j];
                var seg = Segment(at + time, start, half, segment.Length);
                AddCandidate(time, perCall + segment[seg], _late[j]);
                // Segment starts before the next duration (after the last one: until the segments end).
                var until = j + 1 < _times.Length ? _times[j + 1] : double.PositiveInfinity;
                for (var next = seg + 1; next <= last; next++)
                {
                    var boundary = start + (next * half) - at;
                    if (boundary >= until)
                    {
                        break;
                    }

                    AddCandidate(boundary, perCall + segment[next], Sorted.FirstAtLeast(_times, boundary - _lag));
                }
            }

            _firstCandidate[_times.Length] = _candidateTime.Count;
            Solve();

            // Walk the chosen schedule: each poll is made by the jobs still running at the one before.
            for (var s = 0; s < _times.Length;)
            {
                var running = _cumulative[^1] - _cumulative[s];
                var seg = Segment(at + _candidateTime[_nextCandidate[s]], start, half, segment.Length);
                if (seg < callsIn.Length)
                {
                    callsIn[seg] += running;
                }

                if (seg > 0)
                {
                    callsIn[seg - 1] += running;
                }

                s = _next[s];
            }

            return (_value[0], _calls[0]);
        }

        private static int Segment(double time, double start, double half, int count) =>
            Math.Clamp((int)Math.Floor((time - start) / half), 0, count - 1);

        private void ClearCandidates()
        {
            _candidateTime.Clear();
            _candidatePrice.Clear();
            _candidateLate.Clear();
        }

        private void AddCandidate(double time, double price, int late)
        {
            _candidateTime.Add(time);
            _candidatePrice.Add(price);
            _candidateLate.Add(late);
        }

        /// <summary>State s: the jobs among the first s durations are done (0: the job just started); a poll among the
        /// candidates after the j-th duration costs its price for every job still running and one for each job it
        /// notices later than the target.</summary>
        private void Solve()
        {
            var n = _times.Length;
            var all = _cumulative[n];
            var price = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_candidatePrice);
            var lateOf = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_candidateLate);
            _value[n] = _calls[n] = 0;
            for (var s = n - 1; s >= 0; s--)
            {
                var running = all - _cumulative[s];
                var done = _cumulative[s];
                var best = double.PositiveInfinity;
                int bestNext = n, bestCandidate = _firstCandidate[n - 1];
                for (var j = s + 1; j <= n; j++)
                {
                    for (var c = _firstCandidate[j - 1]; c < _firstCandidate[j]; c++)
                    {
                        var late = lateOf[c];
                        var value = (running * price[c]) + _value[j] + (late > s ? _cumulative[late] - done : 0);
                        if (value < best)
                        {
                            best = value;
                            bestNext = j;
                            bestCandidate = c;
                        }
                    }
                }

                _value[s] = best;
                _next[s] = bestNext;
                _nextCandidate[s] = bestCandidate;
                _calls[s] = running + _calls[bestNext];
            }
        }
    }
}
