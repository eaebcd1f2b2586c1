using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Polling;

/// <summary>How learned poll schedules learn and pace themselves (section <c>Polling:Learning</c>). The defaults fit
/// every workload: nothing here is tuned per kind or per load.</summary>
public sealed class LearningOptions
{
    /// <summary>The shortest time between two polls of one request: polls come this often when the budget is spare,
    /// never more often.</summary>
    /// <remarks>A little under the official client's 1-s sleep: while the budget is spare a look at every running job
    /// each minimum interval is the whole schedule, so at 1 s the bridge could at best tie a 1-s poller (its lag is
    /// spread over the same second, plus the way from answer to event and the few jobs its windows leave out). At
    /// 0.95 s its p95 lag is below that poller's while its calls per job stay below the official client's (its windows
    /// skip the start of every job): docs/benchmarks.md, "a minimum interval of 0.95 s". Bria limits calls per minute,
    /// not per request.</remarks>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(950);

    /// <summary>Finished jobs of a kind to observe before its learned schedule replaces the fixed one.</summary>
    [Range(1, 100_000)]
    public int MinJobs { get; set; } = 20;

    /// <summary>After this many further jobs of a kind, a job's weight in the estimate has halved: recent jobs weigh
    /// more, so the estimate follows durations that drift.</summary>
    [Range(10, 1_000_000)]
    public int HalfLifeJobs { get; set; } = 500;

    /// <summary>How often a replica writes the durations it observed to the shared estimate and reads what the other
    /// replicas wrote.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The factor each earlier job's weight is multiplied by when one more job is folded in.</summary>
    public double DecayPerJob => Math.Pow(0.5, 1.0 / HalfLifeJobs);
}
