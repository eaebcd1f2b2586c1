using System.Globalization;
using System.Text.Json;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>How long one kind's jobs take, from tracking start to Bria finishing: a decayed histogram over fixed,
/// log-spaced bins (10% wide, from 0.1 s to about 5 hours), so that its size never grows and recent jobs weigh more.
/// Immutable and pure: <see cref="Observe"/> returns the histogram with one more job.</summary>
/// <remarks>A poll never sees the moment a job ends, only that it ended between the last <c>IN_PROGRESS</c> answer and
/// the first terminal one (interval-censored). One observation spreads its unit of weight over that interval in
/// proportion to what the histogram already believes there (one step of the Turnbull estimator), blended with a
/// uniform share so that the estimate can move where it believed nothing, for example when durations drift. A job whose
/// deadline passed while it still ran is right-censored: it took longer than its last <c>IN_PROGRESS</c> answer, and its
/// weight goes where the estimate believes longer jobs end.</remarks>
internal sealed class DurationHistogram
{
    /// <summary>The number of bins.</summary>
    public const int Bins = 128;

    private const double FirstEdgeSeconds = 0.1;
    private const double Ratio = 1.1;

    // The share of an observation spread uniformly over its interval rather than by the current belief.
    private const double UniformShare = 0.2;

    // The lowest share of the weight, which a window's start does not count as jobs: there lie the few guesses the
    // estimate made when it had nothing to go on (a first job laid down over [0, its look]), which decay but never
    // vanish. Counted, a kind that leaves out nothing (the images of a mix, whose share goes to the videos) opened its
    // window at that first stray weight: looks from 2-2.5 s on 3-20 s images.
    private const double StrayStartShare = 0.002;

    private static readonly double[] Edges = BuildEdges();

    private readonly double[] _weights;
    private double[]? _cumulative;
    private WindowCache? _window;

    private DurationHistogram(double[] weights, long observations)
    {
        _weights = weights;
        Observations = observations;
        Total = weights.Sum();
    }

    /// <summary>No job seen yet.</summary>
    public static DurationHistogram Empty { get; } = new(new double[Bins], 0);

    /// <summary>Jobs folded in since the estimate began (not decayed): the measure of "enough jobs seen".</summary>
    public long Observations { get; }

    /// <summary>The decayed weight of all jobs seen: about the number of recent jobs the estimate rests on.</summary>
    public double Total { get; }

    /// <summary>The upper edge of bin <paramref name="bin"/>, in seconds.</summary>
    public static double UpperEdge(int bin) => Edges[bin + 1];

    /// <summary>The weight of bin <paramref name="bin"/>.</summary>
    public double Weight(int bin) => _weights[bin];

    /// <summary>The histogram with one more finished job that ran more than <paramref name="lowSeconds"/> and at most
    /// <paramref name="highSeconds"/> after tracking started, every earlier job's weight multiplied by <paramref name="decay"/>.
    /// A job found finished at its first look (<paramref name="lowSeconds"/> 0) is laid down evenly from
    /// <see cref="StartOfFirstLook"/> to its look, or by the belief over [0, its look] when nothing was seen after it.</summary>
    public DurationHistogram Observe(double lowSeconds, double highSeconds, double decay)
    {
        if (double.IsPositiveInfinity(highSeconds))
        {
            return ObserveStillRunning(lowSeconds, decay);
        }

        var high = Math.Clamp(highSeconds, 0, Edges[^1]);
        var start = lowSeconds <= 0 ? StartOfFirstLook(high) : null;
        var low = lowSeconds <= 0 ? start ?? 0 : Math.Clamp(lowSeconds, 0, high);
        var weights = new double[Bins];
        for (var i = 0; i < Bins; i++)
        {
            weights[i] = _weights[i] * decay;
        }

        if (high - low < 1e-9)
        {
            // Seen running and finished at (almost) the same age: one point.
            weights[BinOf(high)] += 1;
            return new DurationHistogram(weights, Observations + 1);
        }

        // The belief inside [low, high]: each bin's weight times the share of the bin the interval covers.
        Span<double> belief = stackalloc double[Bins];
        Span<double> uniform = stackalloc double[Bins];
        var beliefTotal = 0.0;
        for (var i = BinOf(low); i < Bins && Edges[i] < high; i++)
        {
            var overlap = Math.Min(high, Edges[i + 1]) - Math.Max(low, Edges[i]);
            if (overlap <= 0)
            {
                continue;
            }

            uniform[i] = overlap / (high - low);
            belief[i] = _weights[i] * overlap / (Edges[i + 1] - Edges[i]);
            beliefTotal += belief[i];
        }

        // A job found finished at its first look, with a start laid down at the density seen just after the look, is
        // spread evenly: a constant density is what that start assumes. Spread by the belief instead, its weight leant
        // towards the look (the belief has little below the window, where no look goes): the window opened later than
        // the share asked for (3.3 s for 1% of 3-20 s images, 2% of them before it; 3.8 s for 3%, 4.5%), and a light
        // load's shortest jobs were noticed a look late.
        var uniformShare = beliefTotal > 0 && start is null ? UniformShare : 1.0;
        for (var i = 0; i < Bins; i++)
        {
            var fromBelief = beliefTotal > 0 ? (1 - uniformShare) * belief[i] / beliefTotal : 0;
            weights[i] += fromBelief + (uniformShare * uniform[i]);
        }

        return new DurationHistogram(weights, Observations + 1);
    }

    /// <summary>The histogram with one more job whose deadline passed while it still ran: it took longer than
    /// <paramref name="lowSeconds"/> (right-censored). Its unit of weight goes where the histogram believes the jobs that
    /// outlive that age end (the redistribution to the right of the Kaplan-Meier and Turnbull estimators), into the bin
    /// of that age when it believes none do (the least the job can have taken). No uniform share: spread evenly up to
    /// the last edge (hours), it would put weight where no job was ever seen to end.</summary>
    private DurationHistogram ObserveStillRunning(double lowSeconds, double decay)
    {
        var low = Math.Clamp(lowSeconds, 0, Edges[^1]);
        var weights = new double[Bins];
        for (var i = 0; i < Bins; i++)
        {
            weights[i] = _weights[i] * decay;
        }

        Span<double> belief = stackalloc double[Bins];
        var first = BinOf(low);
        var beliefTotal = 0.0;
        for (var i = first; i < Bins; i++)
        {
            var overlap = Edges[i + 1] - Math.Max(low, Edges[i]);
            if (overlap > 0)
            {
                belief[i] = _weights[i] * overlap / (Edges[i + 1] - Edges[i]);
                beliefTotal += belief[i];
            }
        }

        if (beliefTotal <= 0)
        {
            weights[first] += 1;
        }
        else
        {
            for (var i = first; i < Bins; i++)
            {
                weights[i] += belief[i] / beliefTotal;
            }
        }

        return new DurationHistogram(weights, Observations + 1);
    }

    /// <summary>Where a job found finished at its first look, at <paramref name="high"/> seconds, most likely ended: no
    /// earlier than the jobs that end just after that age are spread out. "Finished by the first look" says only
    /// "within [0, high]", and spread by the belief, part of its weight lands before the shortest real job; the window
    /// then opens there, the first looks come earlier still, and more jobs are found finished at them: a loop that
    /// kept the images' window (3-20 s) opening at about 2 s, where 3% of them end by 3.5 s. Laid down from
    /// <paramref name="high"/> at the density the estimate sees over [high, 2 high], the jobs it believes ended by then
    /// reach back as far as that density makes them (at least a tenth of the age, at most all of it). Null with nothing
    /// seen after the age (durations that got shorter, say): then the whole of [0, high], where the belief puts jobs.</summary>
    private double? StartOfFirstLook(double high)
    {
        if (Total <= 0 || high <= 0)
        {
            return null;
        }

        var density = (Cdf(2 * high) - Cdf(high)) / high;
        if (density <= 0)
        {
            return null;
        }

        var reach = Math.Clamp(Cdf(high) / density, high / 10, high);
        return high - reach;
    }

    /// <summary>The share of jobs that finished within <paramref name="seconds"/> (0 for an empty histogram).</summary>
    public double Cdf(double seconds)
    {
        if (Total <= 0 || seconds <= 0)
        {
            return 0;
        }

        if (seconds >= Edges[^1])
        {
            return 1;
        }

        var cumulative = Cumulative();
        var bin = BinOf(seconds);
        var within = (seconds - Edges[bin]) / (Edges[bin + 1] - Edges[bin]);
        return (cumulative[bin] + (_weights[bin] * within)) / Total;
    }

    /// <summary>The age by which a share <paramref name="p"/> of jobs finished (0 for an empty histogram).</summary>
    public double Quantile(double p)
    {
        if (Total <= 0)
        {
            return 0;
        }

        var target = Math.Clamp(p, 0, 1) * Total;
        var cumulative = Cumulative();
        for (var i = 0; i < Bins; i++)
        {
            if (_weights[i] > 0 && cumulative[i] + _weights[i] >= target)
            {
                var within = Math.Clamp((target - cumulative[i]) / _weights[i], 0, 1);
                return Edges[i] + (within * (Edges[i + 1] - Edges[i]));
            }
        }

        return LastOccupiedEdge();
    }

    /// <summary>The upper edge of the last bin holding any weight: no job seen took longer.</summary>
    public double LastOccupiedEdge()
    {
        for (var i = Bins - 1; i >= 0; i--)
        {
            if (_weights[i] > 0)
            {
                return Edges[i + 1];
            }
        }

        return 0;
    }

    /// <summary>The smallest age t after <paramref name="fromSeconds"/> by which a job still running at
    /// <paramref name="fromSeconds"/> has finished with probability <paramref name="p"/>, or null when the jobs seen
    /// give it no such chance (it has outlived nearly all of them).</summary>
    public double? AgeWhenLikely(double fromSeconds, double p)
    {
        if (Total <= 0)
        {
            return null;
        }

        var start = Cdf(fromSeconds);
        var survival = 1 - start;
        if (survival < 1e-3)
        {
            return null;
        }

        var target = start + (Math.Clamp(p, 0, 1) * survival);
        return Math.Max(fromSeconds, Quantile(target));
    }

    /// <summary>The ages between which a running job is worth a look every pace interval: the window that leaves out a
    /// share <paramref name="share"/> of the jobs (those ending before <c>From</c> or after <c>To</c>) where looks
    /// cost the most calls. Before the window every job is still running, so each look there costs a call per job;
    /// after it, a long tail keeps running look after look. Of the ways to split the share between the two ends, the
    /// window saves the most looks per job: <c>From</c> plus the time jobs still run after <c>To</c> (the area under
    /// the survival curve). For jobs uniform over a range that leaves out the start; for a long tail, mostly the tail.
    /// (0, 0) for an empty histogram.</summary>
    public (double From, double To) PollingWindow(double share)
    {
        var window = Window(share);
        return (window.From, window.To);
    }

    /// <summary>How many seconds of looks per job the window that leaves out <paramref name="share"/> saves against
    /// looking from age 0 until every job ended (<see cref="PollingWindow"/>: its <c>From</c> plus the time jobs still run
    /// after its <c>To</c>). Divided by the pace, the calls per job it saves: what <see cref="SkipSplit"/> compares
    /// between kinds.</summary>
    public double SavedByWindow(double share) => Window(share).Saved;

    private WindowCache Window(double share)
    {
        if (Total <= 0)
        {
            return new WindowCache(share, 0, 0, 0);
        }

        if (_window is { } cached && cached.Share == share)
        {
            return cached;
        }

        const int Splits = 20;
        var left = Math.Clamp(share, 0, 0.5);
        double bestSaved = double.NegativeInfinity, bestFrom = 0, bestTo = 0;
        for (var i = 0; i <= Splits; i++)
        {
            var atStart = left * i / Splits;
            var from = Quantile(Math.Min(1, atStart + StrayStartShare));
            var to = Math.Max(from, Quantile(1 - (left - atStart)));
            var saved = from + RunningAfter(to);
            if (saved > bestSaved + 1e-9)
            {
                (bestSaved, bestFrom, bestTo) = (saved, from, to);
            }
        }

        var window = new WindowCache(share, bestFrom, bestTo, bestSaved);
        _window = window;
        return window;
    }

    /// <summary>How long, on average over all jobs, a job still runs after age <paramref name="seconds"/>: the area
    /// under the survival curve from there (each bin's weight spread evenly over it).</summary>
    public double RunningAfter(double seconds)
    {
        if (Total <= 0)
        {
            return 0;
        }

        var cumulative = Cumulative();
        var area = 0.0;
        for (var i = 0; i < Bins; i++)
        {
            var (low, high) = (Edges[i], Edges[i + 1]);
            if (high <= seconds)
            {
                continue;
            }

            var start = Math.Max(low, seconds);
            var survivalAtStart = 1 - ((cumulative[i] + (_weights[i] * (start - low) / (high - low))) / Total);
            var survivalAtEnd = 1 - ((cumulative[i] + _weights[i]) / Total);
            area += (high - start) * (survivalAtStart + survivalAtEnd) / 2;
        }

        return area;
    }

    /// <summary>The stored form: the weights as a JSON array, rounded to 6 significant digits.</summary>
    public string ToJson() =>
        "[" + string.Join(',', _weights.Select(w => w.ToString("G6", CultureInfo.InvariantCulture))) + "]";

    /// <summary>Reads the stored form; an empty or foreign array (another bin layout) starts over.</summary>
    public static DurationHistogram FromJson(string? json, long observations)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        var weights = JsonSerializer.Deserialize<double[]>(json);
        return weights is { Length: Bins } && weights.All(w => w >= 0 && double.IsFinite(w))
            ? new DurationHistogram(weights, Math.Max(0, observations))
            : Empty;
    }

    private static int BinOf(double seconds)
    {
        if (seconds <= FirstEdgeSeconds)
        {
            return 0;
        }

        var bin = 1 + (int)Math.Floor(Math.Log(seconds / FirstEdgeSeconds) / Math.Log(Ratio));
        bin = Math.Clamp(bin, 0, Bins - 1);
        // Floating point: step to the bin whose edges really hold the value.
        while (bin > 0 && seconds <= Edges[bin])
        {
            bin--;
        }

        while (bin < Bins - 1 && seconds > Edges[bin + 1])
        {
            bin++;
        }

        return bin;
    }

    private double[] Cumulative()
    {
        if (_cumulative is { } cached)
        {
            return cached;
        }

        var cumulative = new double[Bins];
        var sum = 0.0;
        for (var i = 0; i < Bins; i++)
        {
            cumulative[i] = sum;
            sum += _weights[i];
        }

        _cumulative = cumulative;
        return cumulative;
    }

    private static double[] BuildEdges()
    {
        // Bin 0 is [0, 0.1 s]; bin i > 0 is (0.1 x 1.1^(i-1), 0.1 x 1.1^i].
        var edges = new double[Bins + 1];
        for (var i = 1; i <= Bins; i++)
        {
            edges[i] = FirstEdgeSeconds * Math.Pow(Ratio, i - 1);
        }

        return edges;
    }

    /// <summary>The last window asked for (a histogram never changes, and every poll of its kind asks for the same share).</summary>
    private sealed record WindowCache(double Share, double From, double To, double Saved);
}
