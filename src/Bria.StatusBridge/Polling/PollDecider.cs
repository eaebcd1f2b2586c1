using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling;

/// <summary>Turns one observation of a request into its next step: the next poll time, or the terminal outcome.
/// Pure: the terminal-outcome table of the architecture lives here and nowhere else. Poll times come from the kind's
/// fixed schedule, or from <paramref name="learned"/> where the kind polls on a learned schedule (the one seam of that choice).</summary>
internal sealed class PollDecider(IOptions<PollingOptions> options, Random? random = null, LearnedPollSchedule? learned = null)
{
    private readonly PollingOptions _options = options.Value;
    private readonly Backoff _transientBackoff = new(options.Value.TransientBackoff, options.Value.TransientBackoffCeiling);
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The first poll time of a request tracked at <paramref name="now"/>: never before the first delay, and
    /// spread over up to <see cref="PollSchedule.Jitter"/> after it, so that a burst of commands is not polled in one burst.
    /// With a <paramref name="deadline"/> before that, the one look comes shortly before the deadline
    /// (<see cref="BeforeDeadline"/>).</summary>
    public DateTimeOffset FirstPollAt(EndpointKind kind, DateTimeOffset now, bool briaPushes = false, DateTimeOffset? deadline = null)
    {
        var spread = Sample();
        var schedule = ScheduleOf(kind, briaPushes);
        // A request Bria pushes polls only on its kind's safety schedule; the others may poll on a learned one.
        var at = !briaPushes && learned?.FirstPollAt(kind, now, spread) is { } learnedAt
            ? learnedAt
            : now + (schedule.FirstDelay * (1 + (spread * schedule.Jitter)));
        return deadline is { } due ? BeforeDeadline(at, now, due) : at;
    }

    /// <summary>The look planned at <paramref name="at"/> of a request due to time out at <paramref name="deadline"/>,
    /// no look coming before <paramref name="earliest"/>: a look planned at or after the deadline comes one
    /// <see cref="LearningOptions.MinInterval"/> before it instead (or at <paramref name="earliest"/>, if later and still
    /// before it), so that a request reported <c>TimedOut</c> was seen running shortly before its deadline. Otherwise a
    /// schedule whose next look lies past the deadline (a learned video window that opens at 50 s, for a request given
    /// 45 s) times it out unseen since its last look, or never looked at, however long ago it finished. A request claimed
    /// at its deadline times out without a call.</summary>
    public DateTimeOffset BeforeDeadline(DateTimeOffset at, DateTimeOffset earliest, DateTimeOffset deadline)
    {
        if (at < deadline)
        {
            return at;
        }

        var last = deadline - _options.Learning.MinInterval;
        last = last > earliest ? last : earliest;
        return last < deadline ? last : deadline;
    }

    /// <summary>Whether <paramref name="request"/>'s claimed poll is a look inside its kind's learned polling window (the
    /// looks the planned interval spaces), not a first look of a fixed schedule or one deep in a long tail.</summary>
    public bool InLearnedWindow(ClaimedRequest request) =>
        learned is not null && learned.InWindow(request.Kind, request.DueAt - request.CreatedAt);

    /// <summary>The deadline of a request whose command gave none.</summary>
    public DateTimeOffset DefaultDeadline(EndpointKind kind, DateTimeOffset now) => now + _options.For(kind).DefaultTimeout;

    /// <summary>The outcome for a request whose deadline passed before it was polled.</summary>
    public static PollUpdate TimedOut(ClaimedRequest request, DateTimeOffset now) =>
        new(request.RequestId, now, "DeadlinePassed", null, request.Polls, request.ConsecutiveUnknown, request.ConsecutiveTransient,
            request.FirstNotFoundAt, null, TerminalOutcome.Failed(FailureReason.TimedOut, null, request.Deadline));

    /// <summary>What one answer means for <paramref name="request"/>: its outcome, or when to look again.</summary>
    /// <param name="request">The request as claimed.</param>
    /// <param name="observation">Bria's answer.</param>
    /// <param name="now">When the answer came.</param>
    /// <param name="sentAt">When the call was sent (default: <paramref name="now"/>). Learned schedules count from it, so
    /// that two looks at a running job are one interval apart however long Bria takes to answer.</param>
    public PollUpdate Decide(ClaimedRequest request, StatusObservation observation, DateTimeOffset now, DateTimeOffset? sentAt = null)
    {
        var polls = request.Polls + 1;
        var schedule = ScheduleOf(request.Kind, request.BriaPushes);
        // A job seen running is looked at again when the learned schedule says (never one Bria pushes: it keeps its
        // safety schedule); other answers keep the fixed rhythm.
        var learnedLook = observation is StatusObservation.InProgress && !request.BriaPushes ? learned?.NextPollAt(request, sentAt ?? now) : null;
        var next = learnedLook?.At ?? now + Jittered(schedule.IntervalAfter(polls), schedule.Jitter);
        var name = observation.GetType().Name;

        PollUpdate Continue(DateTimeOffset at, int unknown = 0, int transient = 0, DateTimeOffset? notFoundSince = null) =>
            new(request.RequestId, now, name, observation.HttpStatus, polls, unknown, transient, notFoundSince,
                BeforeDeadline(at, (sentAt ?? now) + _options.Learning.MinInterval, request.Deadline), null);

        PollUpdate End(TerminalOutcome outcome, int unknown = 0) =>
            new(request.RequestId, now, name, observation.HttpStatus, polls, unknown, 0, request.FirstNotFoundAt, null, outcome);

        switch (observation)
        {
            case StatusObservation.Completed completed:
                return End(TerminalOutcome.Completed(completed.Result, now));

            case StatusObservation.Failed failed:
                return End(TerminalOutcome.Failed(FailureReason.Error, failed.Error, now));

            case StatusObservation.Unknown unknown:
                var unknownCount = request.ConsecutiveUnknown + 1;
                return unknownCount > _options.UnknownTolerance
                    ? End(TerminalOutcome.Failed(FailureReason.Unknown, unknown.Error, now), unknownCount)
                    : Continue(next, unknown: unknownCount);

            case StatusObservation.NotFound:
                var since = request.FirstNotFoundAt ?? now;
                var graceEnds = since + _options.NotFoundGrace;
                return now >= graceEnds
                    ? End(TerminalOutcome.Failed(FailureReason.NotFound, null, now))
                    : Continue(next < graceEnds ? next : graceEnds, notFoundSince: since);

            case StatusObservation.Throttled throttled:
                // The 429 pauses every poll (the caller records that); this request keeps its place in the queue.
                return Continue(now + ThrottleDelay(throttled.RetryAfter), request.ConsecutiveUnknown, request.ConsecutiveTransient, request.FirstNotFoundAt);

            case StatusObservation.Transient:
                var failures = request.ConsecutiveTransient + 1;
                var retryAt = now + Jittered(_transientBackoff.After(failures), schedule.Jitter);
                return Continue(retryAt > next ? retryAt : next, request.ConsecutiveUnknown, failures, request.FirstNotFoundAt);

            default:
                var early = learnedLook?.EarlyFrom is { } from && from < request.Deadline ? from : (DateTimeOffset?)null;
                return Continue(next) with { EarlyPollAt = early };
        }
    }

    /// <summary>The one place a schedule is chosen: a request that Bria pushes to the bridge polls on the sparse safety
    /// schedule of its kind, any other on its kind's schedule.</summary>
    private PollSchedule ScheduleOf(EndpointKind kind, bool briaPushes) =>
        briaPushes ? _options.PushSafety.For(kind) : _options.For(kind);

    /// <summary>How long all polling pauses after a 429.</summary>
    public TimeSpan ThrottleDelay(TimeSpan? retryAfter)
    {
        var delay = retryAfter is { } value && value > TimeSpan.Zero ? value : _options.ThrottlePause;
        return delay > _options.MaxRetryAfter ? _options.MaxRetryAfter : delay;
    }

    private TimeSpan Jittered(TimeSpan interval, double jitter)
    {
        if (jitter <= 0)
        {
            return interval;
        }

        return interval * (1 + (((Sample() * 2) - 1) * jitter));
    }

    private double Sample()
    {
        lock (_random)
        {
            // A seeded Random (tests) is not thread-safe; polls decide concurrently.
            return _random.NextDouble();
        }
    }
}
