using System.Collections.Concurrent;
using System.Collections.Frozen;
using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>This replica's view of the learned durations: the observations it has not written yet, and the shared
/// estimates as last read from the store (<see cref="DurationLearningLoop"/> moves both).</summary>
internal sealed class DurationLearning
{
    /// <summary>Observations kept while the store cannot take them; older ones are dropped beyond this.</summary>
    public const int MaxPending = 10_000;

    /// <summary>About how many recent jobs each kind's share of the jobs (<see cref="JobShares"/>) rests on.</summary>
    public const double JobShareMemory = 200;

    private readonly ConcurrentQueue<DurationObservation> _pending = new();
    private FrozenDictionary<EndpointKind, DurationEstimate> _estimates = FrozenDictionary<EndpointKind, DurationEstimate>.Empty;
    private FrozenDictionary<EndpointKind, double> _jobShares = FrozenDictionary<EndpointKind, double>.Empty;

    /// <summary>Observations waiting to be written.</summary>
    public int Pending => _pending.Count;

    /// <summary>The estimates as last read, by kind.</summary>
    public IReadOnlyDictionary<EndpointKind, DurationEstimate> Estimates => Volatile.Read(ref _estimates);

    /// <summary>Notes a finished job: it ended after <paramref name="low"/> and by <paramref name="high"/>, both counted
    /// from tracking start.</summary>
    public void Observe(EndpointKind kind, TimeSpan low, TimeSpan high)
    {
        var highSeconds = Math.Max(0, high.TotalSeconds);
        Enqueue(new DurationObservation(kind, Math.Clamp(low.TotalSeconds, 0, highSeconds), highSeconds));
    }

    /// <summary>Notes a job whose deadline passed while it still ran: it took longer than <paramref name="ranFor"/> (its
    /// last look that saw it running, counted from tracking start). Left out, the estimate would learn only from the
    /// jobs that ended in time, and believe a kind shorter than it is wherever deadlines cut it.</summary>
    public void ObserveStillRunning(EndpointKind kind, TimeSpan ranFor) =>
        Enqueue(new DurationObservation(kind, Math.Max(0, ranFor.TotalSeconds), double.PositiveInfinity));

    /// <summary>Takes the observations waiting to be written.</summary>
    public IReadOnlyList<DurationObservation> TakePending()
    {
        var taken = new List<DurationObservation>(_pending.Count);
        while (_pending.TryDequeue(out var observation))
        {
            taken.Add(observation);
        }

        return taken;
    }

    /// <summary>Puts back observations a failed write took (they are written with the next).</summary>
    public void Return(IReadOnlyList<DurationObservation> observations)
    {
        foreach (var observation in observations)
        {
            _pending.Enqueue(observation);
        }
    }

    private void Enqueue(DurationObservation observation)
    {
        _pending.Enqueue(observation);
        while (_pending.Count > MaxPending && _pending.TryDequeue(out _))
        {
        }
    }

    /// <summary>The histogram of <paramref name="kind"/> (empty before the first read or the first job).</summary>
    public DurationHistogram For(EndpointKind kind) =>
        Estimates.TryGetValue(kind, out var estimate) ? estimate.Histogram : DurationHistogram.Empty;

    /// <summary>Each kind's share of the jobs finishing lately, summing to 1 (empty before any job): from how much each
    /// kind's shared count of jobs grew between two reads, every replica's jobs included, a decaying average over about
    /// the last <see cref="JobShareMemory"/> jobs. The first read counts every job the store has seen.</summary>
    public IReadOnlyDictionary<EndpointKind, double> JobShares => Volatile.Read(ref _jobShares);

    /// <summary>Replaces the view with what the store holds.</summary>
    public void Replace(IEnumerable<DurationEstimate> estimates)
    {
        var next = estimates.ToFrozenDictionary(e => e.Kind);
        var previous = Volatile.Read(ref _estimates);
        var grown = next.ToDictionary(
            e => e.Key,
            e => previous.TryGetValue(e.Key, out var before) && before.Histogram.Observations <= e.Value.Histogram.Observations
                ? e.Value.Histogram.Observations - before.Histogram.Observations
                : e.Value.Histogram.Observations);
        var jobs = grown.Values.Sum();
        if (jobs > 0)
        {
            var shares = Volatile.Read(ref _jobShares);
            var kept = shares.Count == 0 ? 0 : Math.Exp(-jobs / JobShareMemory);
            Volatile.Write(ref _jobShares, grown.Keys.Union(shares.Keys).ToFrozenDictionary(
                kind => kind,
                kind => (shares.GetValueOrDefault(kind) * kept) + ((1 - kept) * grown.GetValueOrDefault(kind) / jobs)));
        }

        Volatile.Write(ref _estimates, next);
    }
}
