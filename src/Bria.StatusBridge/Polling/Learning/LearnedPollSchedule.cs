using Bria.StatusBridge.Contracts;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The learned choice of poll times, the one seam <see cref="PollDecider"/> asks: null means "the kind's
/// fixed schedule applies" (its mode is <see cref="PollMode.Fixed"/>, or too few of its jobs were seen yet).</summary>
/// <remarks>
/// <para>The store claims due requests in order of next poll time, so the choice is expressed as one well-chosen next
/// poll time per request, from the kind's learned durations and the budget (<see cref="PollPace"/>):</para>
/// <list type="bullet">
/// <item>Running jobs are looked at once per planned interval (<see cref="PollPace.Planned"/>) inside the kind's polling window
/// (<see cref="DurationHistogram.PollingWindow"/>): the ages where a look finds an end most often for its call. The few
/// jobs outside it (a skip share of all, ending before the window, where every job is still running and few end, or
/// after it, in a long tail) are where calls buy least. The share follows the budget (<see cref="PollPace.SkipShare"/>):
/// 3% of all jobs while it binds, so that the calls saved keep every other job within one look of the budget's pace;
/// 1% while it is spare, so that the lag of nearly every job is that of a look per planned interval. It is split among
/// the kinds where it saves the most looks (<see cref="SkipSplit"/>: in a mix of images and videos, mostly the videos'
/// start).</item>
/// <item>No call before a job can plausibly have finished: the first poll comes one planned interval after the window
/// opens (the jobs finishing first are noticed within it).</item>
/// <item>A job that outlived the window is looked at once it has aged another quarter (never sooner than the minimum
/// interval): its lag stays within a quarter of its age, and its calls grow with the logarithm of its age, not with it.
/// Inside the window, a gap where no job seen ended (between two modes) is skipped, each wait at most the job's age (or
/// the kind's fixed ceiling, if longer).</item>
/// <item>The budget spaces the looks (<see cref="PollPace"/>): while it sustains a look every minimum interval at every
/// running job, the planned interval is that; while it does not, it is the interval that spends nearly all the budget
/// sustains on average, steady over half a budget window. While more jobs run than its calls cover, due polls queue
/// and the claim serves the earliest due first, so that the looks spread out evenly over every running job.</item>
/// <item>Calls the planned looks leave unspent are not lost: while the shared bucket holds more than half of what it
/// can, the claim takes looks early, at the jobs looked at longest ago first (<see cref="LearnedLook.EarlyFrom"/>:
/// never sooner than the minimum interval after the last look, never a first look, never one in a long tail).</item>
/// <item>Old requests do not starve: every wait is finite, and the claim serves the earliest due first. Deadlines and
/// the shared budget stay with <see cref="PollDecider"/> and the claim.</item>
/// </list>
/// </remarks>
internal sealed class LearnedPollSchedule(IOptions<PollingOptions> options, DurationLearning learning, PollPace pace)
{
    // A job past the window is looked at again after this share of its age.
    private const double TailWaitShare = 0.25;

    // Inside the window, a look is skipped while less than this share of the running jobs could have ended before it.
    private const double GapShare = 0.005;

    private readonly PollingOptions _options = options.Value;
    private SplitCache? _split;

    /// <summary>The share of all jobs left outside the polling windows now (<see cref="PollPace.SkipShare"/>: 3% while
    /// the budget binds, 1% while it is spare), split among the kinds by <see cref="SkipShareOf"/>.</summary>
    public double SkipShare => pace.SkipShare;

    /// <summary>The share of <paramref name="kind"/>'s own jobs its window leaves out now: <see cref="SkipShare"/> split
    /// among the kinds on a learned schedule where it saves the most looks (<see cref="SkipSplit"/>).</summary>
    public double SkipShareOf(EndpointKind kind)
    {
        var share = pace.SkipShare;
        var estimates = learning.Estimates;
        var jobShares = learning.JobShares;
        if (Volatile.Read(ref _split) is not { } split || split.Share != share || !ReferenceEquals(split.Estimates, estimates) || !ReferenceEquals(split.JobShares, jobShares))
        {
            var kinds = Enum.GetValues<EndpointKind>()
                .Where(Active)
                .Select(k => (k, jobShares.GetValueOrDefault(k), learning.For(k)))
                .ToList();
            split = new SplitCache(share, estimates, jobShares, SkipSplit.Split(kinds, share));
            Volatile.Write(ref _split, split);
        }

        return split.Split.GetValueOrDefault(kind, share);
    }

    /// <summary>Whether <paramref name="kind"/> polls on its learned schedule now.</summary>
    public bool Active(EndpointKind kind) =>
        _options.For(kind).Mode == PollMode.Learned && learning.For(kind).Observations >= _options.Learning.MinJobs;

    /// <summary>The polling window of <paramref name="kind"/> at the current skip share, in seconds of a job's age.</summary>
    public (double From, double To) Window(EndpointKind kind) =>
        learning.For(kind).PollingWindow(SkipShareOf(kind));

    /// <summary>Whether a look planned at <paramref name="age"/> of a job of <paramref name="kind"/> is one the planned
    /// interval spaces: the kind is on its learned schedule and the look comes before the window closes (or within one
    /// planned interval after, the last look inside it).</summary>
    public bool InWindow(EndpointKind kind, TimeSpan age) =>
        Active(kind) && age.TotalSeconds < Window(kind).To + pace.Planned.TotalSeconds;

    /// <summary>The first poll of a request of <paramref name="kind"/> tracked at <paramref name="now"/>, or null for the
    /// fixed schedule. <paramref name="spread"/> (0 to 1) spreads the interval after the window opens by up to the kind's jitter, so that a
    /// burst of commands is not polled in one burst.</summary>
    public DateTimeOffset? FirstPollAt(EndpointKind kind, DateTimeOffset now, double spread)
    {
        if (!Active(kind))
        {
            return null;
        }

        var (from, _) = Window(kind);
        var interval = pace.Planned * (1 + (Math.Clamp(spread, 0, 1) * _options.For(kind).Jitter));
        return now + TimeSpan.FromSeconds(from) + interval;
    }

    /// <summary>The next look at <paramref name="request"/>, which Bria answered <c>IN_PROGRESS</c> to a call sent at
    /// <paramref name="now"/>, or null for the fixed schedule. Inside the window, while the planned interval is longer
    /// than the minimum, the look may come early (from one minimum interval after this one) with calls the budget
    /// would otherwise lose.</summary>
    public LearnedLook? NextPollAt(ClaimedRequest request, DateTimeOffset now)
    {
        if (!Active(request.Kind))
        {
            return null;
        }

        var histogram = learning.For(request.Kind);
        var age = Math.Max(0, (now - request.CreatedAt).TotalSeconds);
        var interval = pace.Planned.TotalSeconds;
        var (_, to) = Window(request.Kind);
        if (age >= to)
        {
            return new LearnedLook(now + TimeSpan.FromSeconds(Math.Max(interval, age * TailWaitShare)), null);
        }

        // Inside the window, a gap where no job seen ended (two modes, say) is skipped: the next look waits while less
        // than a small share of the jobs still running could have ended, never longer than the job's age or the
        // kind's fixed ceiling, whichever is longer (a stale estimate costs a few doubling waits, not one long one).
        var ceiling = Math.Max(interval, _options.For(request.Kind).Ceiling.TotalSeconds);
        var wait = histogram.AgeWhenLikely(age, GapShare) is { } likely ? Math.Min(Math.Max(interval, likely - age), Math.Max(ceiling, age)) : interval;
        // An early look is one the plan would take anyway, a little sooner: not one across a gap where nothing ends.
        var earliest = pace.MinInterval.TotalSeconds;
        return new LearnedLook(
            now + TimeSpan.FromSeconds(wait),
            wait <= interval && interval > earliest ? now + pace.MinInterval : null);
    }

    /// <summary>The last split, with what it was computed from (the estimates and shares are replaced, never changed).</summary>
    private sealed record SplitCache(
        double Share,
        IReadOnlyDictionary<EndpointKind, DurationEstimate> Estimates,
        IReadOnlyDictionary<EndpointKind, double> JobShares,
        IReadOnlyDictionary<EndpointKind, double> Split);
}
