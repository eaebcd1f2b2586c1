using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using System.Diagnostics.Metrics;

namespace Bria.StatusBridge.Hosting;

/// <summary>Counts from the store for the observable gauges, cached so that scrapes (from every scraper, every replica)
/// query the database at most once per <see cref="MaxAge"/>, and never block a scrape.</summary>
internal sealed partial class StoreGauges(
    ITrackingStore tracking,
    IOutboxStore outbox,
    IDeliveryStore deliveries,
    TimeProvider time,
    ILogger<StoreGauges> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Snapshot? _snapshot;
    private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;
    private Task? _refresh;

    public IEnumerable<Measurement<long>> TrackedRequests()
    {
        var snapshot = Current();
        if (snapshot is null)
        {
            return [];
        }

        // Every state is reported, zero included, so that a state's series never vanishes.
        return Enum.GetValues<TrackingState>().Select(state => new Measurement<long>(
            snapshot.ByState.TryGetValue(state, out var count) ? count : 0,
            new KeyValuePair<string, object?>("state", WireNames.Of(state))));
    }

    public IEnumerable<Measurement<long>> OutboxBacklog() =>
        Current() is { } snapshot ? [new Measurement<long>(snapshot.OutboxBacklog)] : [];

    public IEnumerable<Measurement<long>> WebhookBacklog() =>
        Current() is { } snapshot ? [new Measurement<long>(snapshot.WebhookBacklog)] : [];

    public IEnumerable<Measurement<long>> OperatorEventBacklog() =>
        Current() is { } snapshot ? [new Measurement<long>(snapshot.OperatorEventBacklog)] : [];

    // Observable callbacks run on the scraper's thread: they never wait for the database. A stale snapshot starts
    // one refresh in the background and is reported meanwhile; the next scrape sees the fresh counts.
    private Snapshot? Current()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _lastAttempt >= MaxAge && _refresh is null)
            {
                _lastAttempt = now;
                _refresh = Task.Run(RefreshAsync);
            }

            return _snapshot;
        }
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var byState = await tracking.CountByStateAsync(timeout.Token);
            // One outbox carries both: outcome events are RequestCompleted and RequestFailed, the rest are for operators.
            var byType = await outbox.BacklogByTypeAsync(timeout.Token);
            var backlog = byType.Where(t => OutcomeEvents.IsOutcomeType(t.Key)).Sum(t => t.Value);
            var events = byType.Where(t => !OutcomeEvents.IsOutcomeType(t.Key)).Sum(t => t.Value);
            var webhooks = await deliveries.BacklogAsync(timeout.Token);
            lock (_gate)
            {
                _snapshot = new Snapshot(byState, backlog, webhooks, events);
            }
        }
        catch (Exception exception)
        {
            // The gauges keep their last values; /readyz reports the database itself.
            LogRefreshFailed(logger, exception);
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting tracked requests and the backlogs for the metrics failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private sealed record Snapshot(IReadOnlyDictionary<TrackingState, long> ByState, long OutboxBacklog, long WebhookBacklog, long OperatorEventBacklog);
}
