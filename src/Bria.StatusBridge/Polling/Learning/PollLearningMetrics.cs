using System.Diagnostics.Metrics;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The instruments of learned schedules, on the one <c>Bria.StatusBridge</c> meter: what each kind's estimate
/// rests on and says, whether it is in use, and the time between looks the budget affords (docs/operations.md).</summary>
internal sealed class PollLearningMetrics
{
    private static readonly double[] Quantiles = [0.5, 0.95];

    private readonly Counter<long> _observed;

    public PollLearningMetrics(IMeterFactory meterFactory, DurationLearning learning, LearnedPollSchedule schedule, PollPace pace)
    {
        var meter = meterFactory.Create(Telemetry.Name);
        _observed = meter.CreateCounter<long>(
            "bria.statusbridge.poll.learned_observations", "{job}", "Finished jobs whose duration this replica wrote into the shared estimates.");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.learned_jobs",
            () => learning.Estimates.Values.Select(e => new Measurement<long>(e.Histogram.Observations, Kind(e.Kind))),
            "{job}",
            "Finished jobs the shared duration estimate of each endpoint kind has seen (every replica's).");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.learned_duration",
            () => learning.Estimates.Values
                .Where(e => e.Histogram.Total > 0)
                .SelectMany(e => Quantiles.Select(q => new Measurement<double>(
                    e.Histogram.Quantile(q), Kind(e.Kind), new KeyValuePair<string, object?>("quantile", q)))),
            "s",
            "Learned duration of each endpoint kind's jobs (from tracking start to Bria finishing), by quantile (0.5, 0.95).");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.learned_active",
            () => Enum.GetValues<EndpointKind>().Select(k => new Measurement<int>(schedule.Active(k) ? 1 : 0, Kind(k))),
            "{kind}",
            "1 when the endpoint kind polls on its learned schedule, 0 when on its fixed one (fixed mode, or too few jobs seen yet).");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.pace", () => pace.Interval.TotalSeconds, "s",
            "The time between two looks at a running job that the budget currently affords learned schedules: the planned interval, plus how late the queue runs claimed polls.");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.planned_interval", () => pace.Planned.TotalSeconds, "s",
            "The time learned schedules plan between two looks at a running job: the minimum interval while the shared budget sustains it, otherwise the interval that spends 99% of what it sustains on average.");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.early_share", () => pace.EarlyShare, "1",
            "The share of status calls lately (every replica's) that went to looks taken before their planned time, with calls the planned looks left unspent and the shared bucket would otherwise have lost.");
        meter.CreateObservableGauge(
            "bria.statusbridge.poll.left_out_share",
            () => Enum.GetValues<EndpointKind>().Where(schedule.Active).Select(k => new Measurement<double>(schedule.SkipShareOf(k), Kind(k))),
            "1",
            "The share of the endpoint kind's own jobs its polling window leaves out now: 3% of all jobs while the budget binds, down to 1% while it is spare, split among the kinds on learned schedules where it saves the most looks (at most 10% of one kind).");
    }

    /// <summary>Records that <paramref name="count"/> observations were written.</summary>
    public void Learned(int count)
    {
        if (count > 0)
        {
            _observed.Add(count);
        }
    }

    private static KeyValuePair<string, object?> Kind(EndpointKind kind) => new("endpoint_kind", WireNames.Of(kind));
}
