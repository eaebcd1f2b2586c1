using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>The bridge's instruments, on the one <c>Bria.StatusBridge</c> meter; the places that observe something call
/// the matching method. docs/operations.md lists every instrument with its Prometheus name.</summary>
/// <remarks>The meter comes from <see cref="IMeterFactory"/> rather than a static field: it then lives and dies with
/// the host, so the observable gauges never call into the stores of a host that has stopped.</remarks>
internal sealed class BridgeMetrics
{
    /// <summary>The <c>channel</c> tag of webhook deliveries (the bus outbox uses <c>bus</c>).</summary>
    public const string WebhookChannel = "webhook";

    private readonly Counter<long> _statusCalls;
    private readonly Histogram<double> _statusCallDuration;
    private readonly TimeProvider _time;
    private readonly BudgetExhaustedTime _budgetExhausted = new();
    private long _throttled;
    private readonly Histogram<double> _detectionLag;
    private readonly Histogram<double> _notificationLag;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _webhookAttemptDuration;

    public BridgeMetrics(IMeterFactory meterFactory, StoreGauges gauges, IOptions<PollingOptions> polling, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(Telemetry.Name);
        var budget = polling.Value.RequestsPerMinute;

        _statusCalls = meter.CreateCounter<long>(
            "bria.statusbridge.status_calls", "{call}", "Status calls to Bria, by what they observed; each one spends one unit of the upstream budget.");
        _statusCallDuration = meter.CreateHistogram<double>(
            "bria.statusbridge.status_call.duration", "s", "How long one status call to Bria took, by what it observed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        // Observable, so that both series exist at 0 from the start: alerts and dashboards need them before the first event.
        meter.CreateObservableCounter(
            "bria.statusbridge.upstream.throttled", () => Interlocked.Read(ref _throttled), "{response}", "429 answers from Bria; every poll pauses after one.");
        meter.CreateObservableCounter(
            "bria.statusbridge.upstream.budget_exhausted", BudgetExhaustedSeconds, "s",
            "Seconds this replica's poller had due requests waiting because the shared budget had no calls to spare: its rate is the fraction of time the budget held polling back (0 to 1).");
        meter.CreateObservableGauge(
            "bria.statusbridge.upstream.budget_per_minute", () => budget, "{call}", "The configured status-call budget per minute, shared by every replica.");
        _detectionLag = meter.CreateHistogram<double>(
            "bria.statusbridge.detection_lag", "s",
            "Upper bound of the time from Bria finishing a request to the bridge noticing: the noticing poll minus the poll before it (or tracking start).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300] });
        _notificationLag = meter.CreateHistogram<double>(
            "bria.statusbridge.notification_lag", "s", "From the bridge noticing an outcome to its notification being delivered, by channel.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        _deliveries = meter.CreateCounter<long>(
            "bria.statusbridge.deliveries", "{delivery}", "Attempts to deliver a notification, by channel (bus, webhook) and outcome.");
        _webhookAttemptDuration = meter.CreateHistogram<double>(
            "bria.statusbridge.webhook.attempt.duration", "s", "How long one webhook attempt took, from sending to reading the (capped) answer, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30] });
        meter.CreateObservableGauge(
            "bria.statusbridge.tracked_requests", gauges.TrackedRequests, "{request}", "Tracked requests in the store, by state (refreshed at most every few seconds).");
        meter.CreateObservableGauge(
            "bria.statusbridge.outbox.backlog", gauges.OutboxBacklog, "{event}", "Outcome events waiting to be published on the bus.");
        meter.CreateObservableGauge(
            "bria.statusbridge.webhook.backlog", gauges.WebhookBacklog, "{delivery}", "Webhook deliveries pending: due now, in flight, or waiting for a retry.");
        meter.CreateObservableGauge(
            "bria.statusbridge.operator_events.backlog", gauges.OperatorEventBacklog, "{event}", "Operator events (endpoint disabled, delivery exhausted) waiting to be published on the bus.");
    }

    /// <summary>The tag value naming what one status call observed.</summary>
    public static string OutcomeOf(StatusObservation observation) => observation switch
    {
        StatusObservation.InProgress => "in_progress",
        StatusObservation.Completed => "completed",
        StatusObservation.Failed => "error",
        StatusObservation.Unknown => "unknown",
        StatusObservation.NotFound => "not_found",
        StatusObservation.Throttled => "throttled",
        StatusObservation.Transient { HttpStatus: null } => "transient_no_response",
        _ => "transient",
    };

    /// <summary>Records one status call: its outcome, its latency, and a 429.</summary>
    public void StatusCall(StatusObservation observation, EndpointKind kind)
    {
        var tags = new TagList { { "outcome", OutcomeOf(observation) }, { "endpoint_kind", WireNames.Of(kind) } };
        _statusCalls.Add(1, tags);
        _statusCallDuration.Record(observation.Latency.TotalSeconds, tags);
        if (observation is StatusObservation.Throttled)
        {
            Interlocked.Increment(ref _throttled);
        }
    }

    /// <summary>Records whether a scheduling step left due requests waiting for budget (see <see cref="BudgetExhaustedTime"/>).</summary>
    public void BudgetStep(bool exhausted, DateTimeOffset now) => _budgetExhausted.Step(exhausted, now);

    private double BudgetExhaustedSeconds() => _budgetExhausted.Total(_time.GetUtcNow()).TotalSeconds;

    /// <summary>Records how late, at most, the bridge noticed that Bria had finished a request.</summary>
    public void DetectionLag(TimeSpan upperBound, EndpointKind kind, TrackingState outcome) =>
        _detectionLag.Record(Math.Max(0, upperBound.TotalSeconds), new TagList { { "endpoint_kind", WireNames.Of(kind) }, { "state", WireNames.Of(outcome) } });

    /// <summary>The tag value naming what one webhook attempt led to.</summary>
    public static string WebhookOutcomeOf(DeliveryDecisionKind decision, bool endpointDisabled) => endpointDisabled
        ? "endpoint_disabled"
        : decision switch
        {
            DeliveryDecisionKind.Delivered => "delivered",
            DeliveryDecisionKind.Retry => "failed",
            DeliveryDecisionKind.Exhausted => "exhausted",
            _ => "gone",
        };

    /// <summary>Records one webhook attempt: its outcome, its duration and, for the first delivery of a message
    /// about a tracked request, the notification lag since the outcome was noticed.</summary>
    public void WebhookAttempt(string outcome, TimeSpan duration, TimeSpan? sinceNoticed)
    {
        var tags = new TagList { { "channel", WebhookChannel }, { "outcome", outcome } };
        _deliveries.Add(1, tags);
        _webhookAttemptDuration.Record(duration.TotalSeconds, new TagList { { "outcome", outcome } });
        if (sinceNoticed is { } lag)
        {
            _notificationLag.Record(Math.Max(0, lag.TotalSeconds), new TagList { { "channel", WebhookChannel } });
        }
    }

    /// <summary>Records one delivery attempt of a notification; a delivered one to a subscriber that was waiting when
    /// the outcome was noticed also records the notification lag (<paramref name="sinceNoticed"/>, null otherwise).</summary>
    public void Delivery(string channel, bool delivered, TimeSpan? sinceNoticed)
    {
        _deliveries.Add(1, new TagList { { "channel", channel }, { "outcome", delivered ? "delivered" : "failed" } });
        if (delivered && sinceNoticed is { } lag)
        {
            _notificationLag.Record(Math.Max(0, lag.TotalSeconds), new TagList { { "channel", channel } });
        }
    }
}
