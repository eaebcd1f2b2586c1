using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bria.StatusBridge.Hosting;

/// <summary>The outage instruments, on the one <c>Bria.StatusBridge</c> meter: how many outages began, how many failed
/// calls they saw, and which outages hold now.</summary>
internal sealed class OutageMetrics
{
    private readonly Counter<long> _began;
    private readonly Counter<long> _failures;
    private readonly ConcurrentDictionary<string, Func<bool>> _active = new(StringComparer.Ordinal);

    public OutageMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Telemetry.Name);
        _began = meter.CreateCounter<long>(
            "bria.statusbridge.outages", "{outage}", "Outages that began, by dependency (store, bus, bria, bria_credentials).");
        _failures = meter.CreateCounter<long>(
            "bria.statusbridge.dependency.failures", "{failure}", "Failed calls to a dependency, by dependency; during an outage only its begin and end are logged.");
        meter.CreateObservableGauge(
            "bria.statusbridge.outage.active",
            () => _active.Select(a => new Measurement<int>(a.Value() ? 1 : 0, new KeyValuePair<string, object?>("dependency", a.Key))),
            "{outage}",
            "1 while an outage of the dependency holds, else 0.");
    }

    public void Track(string dependency, Func<bool> active) => _active[dependency] = active;

    public void Began(string dependency) => _began.Add(1, new KeyValuePair<string, object?>("dependency", dependency));

    public void Failure(string dependency) => _failures.Add(1, new KeyValuePair<string, object?>("dependency", dependency));
}
