using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Retention;

/// <summary>The purge loop's instruments, on the bridge's meter: rows purged, and the age of the oldest row still
/// kept per kind (above its retention period plus the interval, the purge is falling behind).</summary>
internal sealed class RetentionMetrics
{
    private readonly Counter<long> _purged;
    private readonly ConcurrentDictionary<RetentionKind, DateTimeOffset?> _oldest = new();
    private readonly TimeProvider _time;

    public RetentionMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(Telemetry.Name);
        _purged = meter.CreateCounter<long>(
            "bria.statusbridge.retention.purged", "{row}", "Rows of history removed by the purge (answers: attempt answers cleared), by kind.");
        meter.CreateObservableGauge(
            "bria.statusbridge.retention.oldest_age", OldestAges, "s",
            "Age of the oldest retained row of history, by kind (0 when there is none); stays near the retention period while the purge keeps up.");
    }

    public static string TagOf(RetentionKind kind) => kind switch
    {
        RetentionKind.FinishedRequests => "finished_requests",
        RetentionKind.SentOutbox => "sent_outbox",
        RetentionKind.Deliveries => "deliveries",
        RetentionKind.AttemptAnswers => "attempt_answers",
        RetentionKind.EarlyWebhooks => "early_webhooks",
        _ => kind.ToString(),
    };

    public void Purged(RetentionKind kind, int rows)
    {
        if (rows > 0)
        {
            _purged.Add(rows, new TagList { { "kind", TagOf(kind) } });
        }
    }

    public void OldestRetained(RetentionKind kind, DateTimeOffset? at) => _oldest[kind] = at;

    private IEnumerable<Measurement<double>> OldestAges()
    {
        var now = _time.GetUtcNow();
        foreach (var (kind, at) in _oldest)
        {
            yield return new Measurement<double>(at is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, new KeyValuePair<string, object?>("kind", TagOf(kind)));
        }
    }
}
