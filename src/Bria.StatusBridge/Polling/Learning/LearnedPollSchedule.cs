using Bria.StatusBridge.Contracts;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The learned choice of poll times, the one seam <see cref="PollDecider"/> asks: null means "the kind's
/// fixed schedule applies" (its mode is <see cref="PollMode.Fixed"/>, or too few of its jobs were seen yet).</summary>
/// <remarks>
/// <para>The store claims due requests in order of next poll time, so the choice is expressed as one well-chosen next
/// poll time per request, from the kind's learned durations and the pace (<see cref="PollPace"/>):</para>
/// <list type="bullet">
/// <item>No call before a job can plausibly have finished: the first poll waits until a small share of the kind's jobs
/// has finished, plus one pace interval (the jobs finishing first are noticed within it).</item>
/// <item>After an <c>IN_PROGRESS</c> answer at age s, the next look is one pace interval later, or later still while
/// the job's chance of finishing since this look stays below that share (the hazard over the learned distribution:
/// calls go where completion is likeliest since the last look, not to a long tail that rarely ends).</item>
/// <item>The pace is the budget's feedback: when the budget is spare, it falls to the minimum interval and polls come
/// sooner; when it is short, polls spread out, and the skip share grows with it (up to 5%), so the calls left go where a
/// job is likeliest to have finished.</item>
/// <item>Old requests do not starve: every wait is finite (at most the pace, the fixed ceiling or the job's age,
/// whichever is longest), and the claim serves the earliest due first. Deadlines and the shared budget stay with <see cref="PollDecider"/> and the
/// claim.</item>
/// </list>
/// </remarks>
internal sealed class LearnedPollSchedule(IOptions<PollingOptions> options, DurationLearning learning, PollPace pace)
{
    // At the fastest pace, a poll is skipped while less than 0.5% of the remaining chance of finishing lies before
    // it. When the budget is short, a call is dearer than a late job, so the share grows with the square of the pace,
    // up to 5%: the first look then waits until 5% of the jobs could have ended (those few are noticed a little
    // later), and the calls saved keep every other job within one pace interval.
    private const double SkipShareAtMinimumPace = 0.005;
    private const double MaxSkipShare = 0.05;

    private readonly PollingOptions _options = options.Value;

    /// <summary>The share of a running job's remaining chance of finishing that must lie ahead before a poll is worth a call.</summary>
    public static double SkipShare(double paceFactor) => Math.Min(MaxSkipShare, SkipShareAtMinimumPace * Math.Pow(Math.Max(1, paceFactor), 2));

    /// <summary>Whether <paramref name="kind"/> polls on its learned schedule now.</summary>
    public bool Active(EndpointKind kind) =>
        _options.For(kind).Mode == PollMode.Learned && learning.For(kind).Observations >= _options.Learning.MinJobs;

    /// <summary>The first poll of a request of <paramref name="kind"/> tracked at <paramref name="now"/>, or null for the
    /// fixed schedule. <paramref name="spread"/> (0 to 1) spreads the pace part by up to the kind's jitter, so that a
    /// burst of commands is not polled in one burst.</summary>
    public DateTimeOffset? FirstPollAt(EndpointKind kind, DateTimeOffset now, double spread)
    {
        if (!Active(kind))
        {
            return null;
        }

        var histogram = learning.For(kind);
        var plausible = histogram.Quantile(SkipShare(pace.Factor));
        var interval = pace.Interval * (1 + (Math.Clamp(spread, 0, 1) * _options.For(kind).Jitter));
        return now + TimeSpan.FromSeconds(plausible) + interval;
    }

    /// <summary>The next poll of <paramref name="request"/>, which Bria answered <c>IN_PROGRESS</c> at
    /// <paramref name="now"/>, or null for the fixed schedule.</summary>
    public DateTimeOffset? NextPollAt(ClaimedRequest request, DateTimeOffset now)
    {
        if (!Active(request.Kind))
        {
            return null;
        }

        var histogram = learning.For(request.Kind);
        var age = Math.Max(0, (now - request.CreatedAt).TotalSeconds);
        var interval = pace.Interval.TotalSeconds;
        var ceiling = Math.Max(interval, _options.For(request.Kind).Ceiling.TotalSeconds);
        // Null: the job has outlived nearly every job seen, so the distribution says nothing of when it ends; it is
        // looked at on the fixed ceiling. Otherwise a wait past the pace (no job likely to end before it) is bounded by
        // the job's age, so that an estimate gone stale costs a few doubling waits, not one long one.
        var wait = histogram.AgeWhenLikely(age, SkipShare(pace.Factor)) is { } likely
            ? Math.Min(Math.Max(interval, likely - age), Math.Max(ceiling, age))
            : ceiling;
        wait = Math.Max(wait, _options.Learning.MinInterval.TotalSeconds);
        return now + TimeSpan.FromSeconds(wait);
    }
}
