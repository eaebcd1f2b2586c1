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

    private readonly ConcurrentQueue<DurationObservation> _pending = new();
    private FrozenDictionary<EndpointKind, DurationEstimate> _estimates = FrozenDictionary<EndpointKind, DurationEstimate>.Empty;

    /// <summary>Observations waiting to be written.</summary>
    public int Pending => _pending.Count;

    /// <summary>The estimates as last read, by kind.</summary>
    public IReadOnlyDictionary<EndpointKind, DurationEstimate> Estimates => Volatile.Read(ref _estimates);

    /// <summary>Notes a finished job: it ended after <paramref name="low"/> and by <paramref name="high"/>, both counted
    /// from tracking start.</summary>
    public void Observe(EndpointKind kind, TimeSpan low, TimeSpan high)
    {
        var highSeconds = Math.Max(0, high.TotalSeconds);
        _pending.Enqueue(new DurationObservation(kind, Math.Clamp(low.TotalSeconds, 0, highSeconds), highSeconds));
        while (_pending.Count > MaxPending && _pending.TryDequeue(out _))
        {
        }
    }

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

    /// <summary>The histogram of <paramref name="kind"/> (empty before the first read or the first job).</summary>
    public DurationHistogram For(EndpointKind kind) =>
        Estimates.TryGetValue(kind, out var estimate) ? estimate.Histogram : DurationHistogram.Empty;

    /// <summary>Replaces the view with what the store holds.</summary>
    public void Replace(IEnumerable<DurationEstimate> estimates) =>
        Volatile.Write(ref _estimates, estimates.ToFrozenDictionary(e => e.Kind));
}
