using System.Collections.Concurrent;
using System.Diagnostics;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>One dispatch step: claims due deliveries under leases (round-robin across destinations, bounded per
/// destination and in total) and starts their attempts; each attempt records itself and schedules the next. A
/// crash loses nothing: a claimed delivery whose attempt never got recorded is claimed again when its lease runs
/// out, with the same <c>webhook-id</c> and body.</summary>
internal sealed partial class WebhookDispatcher(
    IDeliveryStore store,
    DeliveryAttemptRecorder recorder,
    WebhookSender sender,
    DeliveryRetryPolicy policy,
    WebhookWakeSignal signal,
    ReplicaIdentity replica,
    BridgeMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : ILoopStep
{
    /// <summary>The name of the span of one webhook attempt.</summary>
    public const string AttemptActivityName = "webhook attempt";

    private readonly WebhookOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Task> _attempts = new(StringComparer.Ordinal);
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var free = _options.MaxConcurrency - InFlight;
        if (free <= 0)
        {
            // A finishing attempt wakes the dispatcher.
            return _options.MaxIdleDelay;
        }

        var now = time.GetUtcNow();
        var claimed = await store.ClaimDueAsync(replica.Id, free, _options.MaxConcurrencyPerDestination, now, _options.LeaseDuration, stoppingToken);
        foreach (var delivery in claimed)
        {
            Interlocked.Increment(ref _inFlight);
            // Kept until it ends, so that a graceful stop can wait for it before handing the leases back.
            var attempt = DeliverAsync(delivery, stoppingToken);
            _attempts[delivery.DeliveryId] = attempt;
            _ = attempt.ContinueWith(
                (ended, id) => _attempts.TryRemove(new KeyValuePair<string, Task>((string)id!, ended)),
                delivery.DeliveryId,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        if (claimed.Count == free)
        {
            return TimeSpan.Zero;
        }

        var next = await store.NextDueAsync(now, stoppingToken);
        var wait = next is null ? _options.MaxIdleDelay : next.Value - time.GetUtcNow();
        if (wait <= TimeSpan.Zero)
        {
            // Due, yet not claimed: their destinations are at their limit. A finishing attempt wakes the dispatcher.
            wait = claimed.Count > 0 ? TimeSpan.Zero : _options.MaxIdleDelay;
        }

        return wait > _options.MaxIdleDelay ? _options.MaxIdleDelay : wait;
    }

    /// <summary>After the loop stopped: waits for the attempts in flight (the stop cancelled their sends; one whose answer
    /// already came records it), then hands back every delivery lease this replica still holds, so a restart or another
    /// replica sends them at once instead of after <c>Webhooks__LeaseDuration</c>.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_attempts.Values).WaitAsync(cancellationToken);
        var released = await store.ReleaseLeasesAsync(replica.Id, cancellationToken);
        LogLeasesReleased(logger, released);
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        // Off the dispatcher's path: claiming goes on while this attempt waits for its receiver.
        await Task.Yield();
        // Parented on the tracked request's stored trace context: every attempt joins the trace of its request.
        // Tags name the message and what happened, never the URL's path or query (they can hold a token) or the body.
        using var activity = Telemetry.StartFromStored(AttemptActivityName, ActivityKind.Client, delivery.TraceParent);
        var number = delivery.Attempts + 1;
        activity?.SetTag("webhook.id", delivery.DeliveryId);
        activity?.SetTag("webhook.endpoint_id", delivery.EndpointId);
        activity?.SetTag("webhook.event_type", delivery.EventType);
        activity?.SetTag("webhook.attempt", number);
        activity?.SetTag("server.address", delivery.Url.Host);
        activity?.SetTag("bria.request_id", delivery.RequestId);
        try
        {
            var attempt = await sender.SendAsync(delivery, stoppingToken);
            var decision = policy.Decide(delivery, attempt, time.GetUtcNow());

            // Recorded even while shutting down: the attempt happened, and its outcome must not be sent twice.
            var recorded = await recorder.RecordAsync(replica.Id, delivery, attempt, decision, _options.DisableAfter, CancellationToken.None);
            var outcome = BridgeMetrics.WebhookOutcomeOf(decision.Kind, recorded.EndpointDisabled);
            var delivered = decision.Kind == DeliveryDecisionKind.Delivered;

            // The lag counts once per message: not for a replay, nor for an attempt whose lease another replica took.
            var lag = delivered && recorded.Applied && delivery.NoticedAt is { } noticed ? attempt.AttemptedAt + attempt.Latency - noticed : (TimeSpan?)null;
            metrics.WebhookAttempt(outcome, attempt.Latency, lag);
            if (activity is not null)
            {
                activity.SetTag("http.response.status_code", attempt.StatusCode);
                activity.SetTag("webhook.outcome", outcome);
                if (!delivered)
                {
                    activity.SetStatus(ActivityStatusCode.Error, attempt.StatusCode is { } status ? $"HTTP {status}" : "no answer");
                }
            }

            Log(delivery, attempt, decision, recorded);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-attempt: StoppedAsync hands the delivery back once every attempt has ended.
        }
        catch (Exception exception)
        {
            // The lease runs out and the delivery is attempted again, with the same webhook-id.
            LogDeliverFailed(logger, exception, delivery.DeliveryId);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            signal.Wake();
        }
    }

    private void Log(ClaimedDelivery delivery, AttemptResult attempt, DeliveryDecision decision, AttemptRecorded recorded)
    {
        var host = delivery.Url.Host;
        var number = delivery.Attempts + 1;
        switch (decision.Kind)
        {
            case DeliveryDecisionKind.Delivered:
                LogDelivered(logger, delivery.DeliveryId, host, attempt.StatusCode, number, (long)attempt.Latency.TotalMilliseconds);
                break;
            case DeliveryDecisionKind.Retry:
                LogRetrying(logger, delivery.DeliveryId, host, attempt.StatusCode, attempt.Error, number, decision.NextAttemptAt);
                break;
            default:
                LogGaveUp(logger, delivery.DeliveryId, host, attempt.StatusCode, attempt.Error, number, decision.Kind);
                break;
        }

        if (recorded.EndpointDisabled)
        {
            LogEndpointDisabled(logger, delivery.EndpointId, host, decision.Kind == DeliveryDecisionKind.Gone ? "410 Gone" : "failing for too long");
        }

        if (!recorded.Applied)
        {
            LogLeaseLost(logger, delivery.DeliveryId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {DeliveryId} delivered to {Host} (HTTP {Status}) on attempt {Attempt} in {LatencyMs} ms")]
    private static partial void LogDelivered(ILogger logger, string deliveryId, string host, int? status, int attempt, long latencyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {DeliveryId} to {Host} failed on attempt {Attempt} (HTTP {Status}, {Error}); next attempt at {NextAttemptAt}")]
    private static partial void LogRetrying(ILogger logger, string deliveryId, string host, int? status, string? error, int attempt, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId} to {Host} failed for good on attempt {Attempt} (HTTP {Status}, {Error}): {Decision}")]
    private static partial void LogGaveUp(ILogger logger, string deliveryId, string host, int? status, string? error, int attempt, DeliveryDecisionKind decision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} ({Host}) disabled: {Reason}")]
    private static partial void LogEndpointDisabled(ILogger logger, string? endpointId, string host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {DeliveryId}: the lease ran out during the attempt; the attempt is recorded, the delivery left to its new owner")]
    private static partial void LogLeaseLost(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {DeliveryId}: the attempt could not be completed; it is retried when its lease runs out")]
    private static partial void LogDeliverFailed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: handed back {Count} webhook delivery leases")]
    private static partial void LogLeasesReleased(ILogger logger, int count);
}
