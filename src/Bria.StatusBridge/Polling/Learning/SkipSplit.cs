using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>Splits the share of all jobs the polling windows leave out (<see cref="PollPace.SkipShare"/>) among the
/// kinds, so that it saves the most looks: a p95 lag target lets 5% of all jobs be late, not 5% of each kind's.</summary>
/// <remarks>
/// <para>Leaving out the start of a kind's durations saves one look per pace interval of it for every job of the kind,
/// and makes late the jobs that end there: few for a kind whose jobs spread thinly over a wide range (videos of
/// 40-180 s), many for one whose jobs crowd a short one (images of 3-20 s). Per job left out, the first saves far more
/// (about 8 times in that mix), so a share left out of the videos buys more lag for every other job than the same share
/// of the images. (The polling bound's own schedules do the same: kinds share one lag target and one price of a late
/// job.)</para>
/// <para>Greedy over small steps of the total share, each to the kind whose window saves the most seconds of looks per
/// job for it, weighted by the kind's share of the jobs (<see cref="DurationHistogram.SavedByWindow"/>, concave in the
/// share for the shapes seen). No kind leaves out more than <see cref="MaxKindShare"/> of its own jobs, so a kind's
/// own p90 stays inside its window. Pure.</para>
/// </remarks>
internal static class SkipSplit
{
    /// <summary>The most of one kind's own jobs its window leaves out.</summary>
    public const double MaxKindShare = 0.10;

    private const int Steps = 24;

    /// <summary>Each kind's share of its own jobs to leave out of its window, for <paramref name="share"/> of all jobs.
    /// While any kind's share of the jobs is unknown (not positive), every kind leaves out <paramref name="share"/>.</summary>
    /// <param name="kinds">The kinds on a learned schedule, each with its histogram and its share of the jobs
    /// (any positive scale).</param>
    /// <param name="share">The share of all jobs to leave out.</param>
    public static IReadOnlyDictionary<EndpointKind, double> Split(IReadOnlyList<(EndpointKind Kind, double JobShare, DurationHistogram Histogram)> kinds, double share)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var total = kinds.Sum(k => Math.Max(0, k.JobShare));
        if (share <= 0 || total <= 0 || kinds.Any(k => k.JobShare <= 0))
        {
            return kinds.ToDictionary(k => k.Kind, _ => Math.Max(0, share));
        }

        var split = kinds.ToDictionary(k => k.Kind, _ => 0.0);
        var step = share / Steps;
        for (var i = 0; i < Steps; i++)
        {
            EndpointKind? best = null;
            double bestGain = double.NegativeInfinity, bestShare = 0;
            foreach (var (kind, jobShare, histogram) in kinds)
            {
                var weight = jobShare / total;
                var next = split[kind] + (step / weight);
                if (next > MaxKindShare + 1e-12)
                {
                    continue;
                }

                var gain = weight * (histogram.SavedByWindow(next) - histogram.SavedByWindow(split[kind]));
                // Equal gains (kinds alike) go to the kind that left out less so far: an even split, not one kind first.
                var tie = best is not null && Math.Abs(gain - bestGain) <= 1e-9 * Math.Max(Math.Abs(gain), Math.Abs(bestGain));
                if ((!tie && gain > bestGain) || (tie && best is { } other && split[kind] < split[other]))
                {
                    (best, bestGain, bestShare) = (kind, gain, next);
                }
            }

            if (best is not { } chosen)
            {
                // Every kind is at its most: the rest stays inside the windows.
                break;
            }

            split[chosen] = bestShare;
        }

        return split;
    }
}
