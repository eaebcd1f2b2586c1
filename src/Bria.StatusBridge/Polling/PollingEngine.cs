using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling;

/// <summary>One scheduling step at a time: end overdue requests, claim what is due within the budget and the free
/// poll slots, and start those polls. Results go to the <see cref="PollResultQueue"/>.</summary>
internal sealed partial class PollingEngine(
    ITrackingStore store,
    IBriaStatusClient client,
    PollDecider decider,
    DurationLearning learning,
    PollPace pace,
    PollResultQueue results,
    PollWakeSignal pollSignal,
    ReplicaIdentity replica,
    BridgeMetrics metrics,
    Outages outages,
    IOptions<OutageOptions> outageOptions,
    IOptions<PollingOptions> options,
    TimeProvider time,
    ILogger<PollingEngine> logger) : ILoopStep
{
    private const int ExpireBatch = 500;

    // Deadlines are hours apart from each other's minutes: looking for overdue requests once a second (the idle loop
    // looks less often still) costs a statement per second instead of one before every claim.
    private static readonly TimeSpan ExpireEvery = TimeSpan.FromSeconds(1);
    private readonly PollingOptions _options = options.Value;
    private readonly BudgetPolicy _budget = BudgetPolicy.FromRequestsPerWindow(options.Value.RequestsPerMinute, options.Value.BudgetWindow);
    private int _inFlight;
    private DateTimeOffset _nextExpireAt = DateTimeOffset.MinValue;
    private DateTimeOffset _nextCredentialProbeAt = DateTimeOffset.MinValue;
    private DateTimeOffset _budgetEmptyUntil = DateTimeOffset.MinValue;

    public int InFlight => Volatile.Read(ref _inFlight);

    private int ClaimThreshold => Math.Max(1, _options.MaxConcurrency / 4);

    /// <summary>Runs one step and answers how long the scheduler may sleep before the next (a wake cuts it short).</summary>
    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if (now >= _nextExpireAt)
        {
            _nextExpireAt = now + ExpireEvery;
            foreach (var expired in await store.ExpireOverdueAsync(now, ExpireBatch, stoppingToken))
            {
                if (expired.LastSeenRunningAt is { } seen)
                {
                    learning.ObserveStillRunning(expired.Kind, seen - expired.CreatedAt);
                }
            }
        }

        if (now < _budgetEmptyUntil)
        {
            // The last claim found the shared bucket without a whole call until then: a poll finishing (which wakes the
            // scheduler) does not refill it, and claiming now would only lock the budget row for nothing.
            return _budgetEmptyUntil - now;
        }

        // A poll holds its slot until its result is stored, not only until Bria answered. While most slots are busy,
        // wait until a quarter of them is free: one claim (a transaction on the shared budget row) then serves
        // several polls instead of one or two, and the oldest due still go first.
        var free = _options.MaxConcurrency - InFlight - results.Unwritten;
        if (free < ClaimThreshold)
        {
            // A finishing poll or a written result wakes the scheduler.
            return _options.MaxIdleDelay;
        }

        if (outages.BriaCredentials.Active)
        {
            // Bria refuses the token: every call would be refused too. Spend one call per probe interval (a real poll
            // of the oldest due request, within the budget) until one is answered otherwise.
            if (now < _nextCredentialProbeAt || InFlight > 0)
            {
                var untilProbe = _nextCredentialProbeAt - now;
                return untilProbe < _options.MaxIdleDelay && untilProbe > TimeSpan.Zero ? untilProbe : _options.MaxIdleDelay;
            }

            _nextCredentialProbeAt = now + outageOptions.Value.CredentialProbeInterval;
            free = 1;
        }

        // Looks may come early only while learned schedules plan them further apart than the minimum interval.
        var claim = await store.ClaimDueAsync(replica.Id, free, now, _options.LeaseDuration, _budget, takeEarly: pace.Planned > pace.MinInterval, stoppingToken);
        metrics.BudgetStep(claim.BudgetExhausted, now);
        // How much of the time the budget holds due polls back sets the share the learned windows leave out: every
        // claim counts, the empty ones included.
        pace.Budget(claim.BudgetExhausted, now);

        // How late the budget's queue runs claimed polls (the time between two looks it affords learned schedules). A
        // claim that got nothing because the bucket held no whole call says nothing of it (a poll finishing woke the
        // scheduler before the next call was due).
        // Looks taken early (with calls the planned looks left unspent) were not due: they say nothing of either.
        var due = claim.Requests.Where(r => !r.Early).ToList();
        if (due.Count > 0 || !claim.BudgetExhausted)
        {
            pace.Step(due.Count > 0 ? now - due.Min(r => r.DueAt) : TimeSpan.Zero, now);
        }

        // What every replica together spends on planned looks, and how much of it inside the learned windows: the
        // planned interval.
        pace.Spend(due.Count, due.Count(decider.InLearnedWindow), claim.Granted, claim.EarlyGranted, now);

        _budgetEmptyUntil = claim.BudgetExhausted ? claim.NextGrantAt : DateTimeOffset.MinValue;
        foreach (var request in claim.Requests)
        {
            Interlocked.Increment(ref _inFlight);
            _ = PollAsync(request, stoppingToken);
        }

        if (claim.Requests.Count == free)
        {
            return TimeSpan.Zero;
        }

        var nextDue = await store.NextDueAsync(stoppingToken) ?? now + _options.MaxIdleDelay;
        var wakeAt = claim.BudgetExhausted && claim.NextGrantAt > nextDue ? claim.NextGrantAt : nextDue;
        var wait = wakeAt - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxIdleDelay ? _options.MaxIdleDelay : wait;
    }

    private async Task PollAsync(ClaimedRequest request, CancellationToken stoppingToken)
    {
        // Off the scheduler's path: the claim loop goes on while this poll waits for Bria.
        await Task.Yield();
        using var activity = Telemetry.StartFromStored("poll", System.Diagnostics.ActivityKind.Client, request.TraceParent);
        activity?.SetTag("bria.request_id", request.RequestId);
        try
        {
            var now = time.GetUtcNow();
            PollUpdate update;
            if (now >= request.Deadline)
            {
                update = PollDecider.TimedOut(request, now);
                if (SeenRunningAt(request) is { } seen)
                {
                    learning.ObserveStillRunning(request.Kind, seen - request.CreatedAt);
                }
            }
            else
            {
                var sentAt = now;
                var observation = await client.GetStatusAsync(request.RequestId, stoppingToken);
                now = time.GetUtcNow();
                update = decider.Decide(request, observation, now, sentAt);
                activity?.SetTag("bria.observation", update.Observation);
                metrics.StatusCall(observation, request.Kind);
                if (update.Outcome is { } outcome && observation is StatusObservation.Completed or StatusObservation.Failed)
                {
                    // Bria finished somewhere between the previous poll (which saw it unfinished) and this one.
                    metrics.DetectionLag(update.ObservedAt - (request.LastPolledAt ?? request.CreatedAt), request.Kind, outcome.State);
                    Learn(request, update.ObservedAt);
                }

                Follow(observation);
                if (observation is StatusObservation.Throttled throttled)
                {
                    var until = now + decider.ThrottleDelay(throttled.RetryAfter);
                    LogThrottled(logger, request.RequestId, until);
                    await store.PauseUpstreamAsync(until, stoppingToken);
                }
                else if (observation is StatusObservation.Transient transient)
                {
                    LogTransient(logger, request.RequestId, transient.HttpStatus, transient.Reason, update.ConsecutiveTransient);
                }
            }

            results.Enqueue(update);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and the request is polled again.
        }
        catch (Exception exception)
        {
            LogPollFailed(logger, exception, request.RequestId);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            pollSignal.Wake();
        }
    }

    /// <summary>Tells the duration estimate when this job ended: after the last poll that saw it running (or tracking
    /// start, when none did) and by this one.</summary>
    private void Learn(ClaimedRequest request, DateTimeOffset observedAt) =>
        learning.Observe(request.Kind, (SeenRunningAt(request) ?? request.CreatedAt) - request.CreatedAt, observedAt - request.CreatedAt);

    /// <summary>The last poll, when Bria answered it <c>IN_PROGRESS</c>.</summary>
    private static DateTimeOffset? SeenRunningAt(ClaimedRequest request) =>
        request.LastObservation == nameof(StatusObservation.InProgress) ? request.LastPolledAt : null;

    /// <summary>Moves the Bria outage conditions: 401/403 starts the credentials outage (polling pauses), 5xx and calls
    /// without an answer start the Bria outage; any other answer ends both.</summary>
    private void Follow(StatusObservation observation)
    {
        switch (observation)
        {
            case StatusObservation.Transient { HttpStatus: 401 or 403 } refused:
                if (outages.BriaCredentials.Report($"HTTP {refused.HttpStatus}"))
                {
                    _nextCredentialProbeAt = time.GetUtcNow() + outageOptions.Value.CredentialProbeInterval;
                }

                break;
            case StatusObservation.Transient { HttpStatus: null or >= 500 } failing:
                outages.Bria.Report(failing.HttpStatus is { } status ? $"HTTP {status}: {failing.Reason}" : failing.Reason);
                break;
            default:
                outages.BriaCredentials.Clear();
                outages.Bria.Clear();
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bria throttled the status call for {RequestId}; polling pauses until {Until}")]
    private static partial void LogThrottled(ILogger logger, string requestId, DateTimeOffset until);

    // Debug: an outage is logged once, when it begins and ends (Outages); counts are in the status-call metric.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Transient failure polling {RequestId} (HTTP {HttpStatus}): {Reason}; {Failures} in a row")]
    private static partial void LogTransient(ILogger logger, string requestId, int? httpStatus, string reason, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling {RequestId} failed; it is retried when its lease runs out")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, string requestId);
}
