using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.BriaPush;

/// <summary>Instruments of the inbound Bria webhooks, on the bridge's meter: every post by what it did (or the rule it
/// broke), how long accepting one took, and early webhooks dropped beyond the count limit.</summary>
internal sealed class BriaPushMetrics
{
    private readonly Counter<long> _received;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _earlyDropped;

    public BriaPushMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Telemetry.Name);
        _received = meter.CreateCounter<long>(
            "bria.statusbridge.bria_webhooks", "{webhook}",
            "Webhooks posted by Bria to /v1/bria/webhooks, by result (ended, already_ended, poll_now, unchanged, kept_early, refused) and, when refused, the rule broken.");
        _duration = meter.CreateHistogram<double>(
            "bria.statusbridge.bria_webhook.duration", "s", "From reading a Bria webhook's body to answering it (the observation durably stored), by result.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10] });
        _earlyDropped = meter.CreateCounter<long>(
            "bria.statusbridge.bria_webhooks.early_dropped", "{webhook}",
            "Early Bria webhooks (before their TrackRequest) dropped, oldest first, because Bria:EarlyWebhookLimit was reached; age drops count as retention.purged{kind=early_webhooks}.");
    }

    public void Accepted(string result, TimeSpan took)
    {
        var tags = new TagList { { "result", result } };
        _received.Add(1, tags);
        _duration.Record(took.TotalSeconds, tags);
    }

    public void Refused(BriaWebhookRule rule) =>
        _received.Add(1, new TagList { { "result", "refused" }, { "reason", BriaWebhookRules.TagOf(rule) } });

    public void EarlyDropped(int count)
    {
        if (count > 0)
        {
            _earlyDropped.Add(count);
        }
    }
}
