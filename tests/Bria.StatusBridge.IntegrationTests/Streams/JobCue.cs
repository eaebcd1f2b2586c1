using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.IntegrationTests.Streams;

/// <summary>The simulator's clock in the test's hands: a job made by <see cref="Job"/> answers <c>IN_PROGRESS</c> until
/// <see cref="EndJobs"/>, then <c>COMPLETED</c>, so a test decides exactly when Bria finishes (after its stream has seen
/// the job running, however loaded the machine) and the bridge stores the real outcome through its normal poll path.</summary>
public sealed class JobCue
{
    private static readonly TimeSpan Duration = TimeSpan.FromHours(1);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    /// <summary>Gives the simulator this clock (pass to <c>ApiBridge.StartAsync</c>).</summary>
    public void Configure(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider = _clock;
    }

    /// <summary>A job that completes (with a result) only when the test calls <see cref="EndJobs"/>.</summary>
    public static JobSpec Job(string requestId) =>
        new() { RequestId = requestId, DurationMs = (long)Duration.TotalMilliseconds, Outcome = JobOutcome.Completed };

    /// <summary>A job that is still running after <see cref="EndJobs"/> (on any simulator: it outlasts any test).</summary>
    public static JobSpec Unending(string requestId) =>
        new() { RequestId = requestId, DurationMs = (long)TimeSpan.FromDays(30).TotalMilliseconds, Outcome = JobOutcome.Completed };

    /// <summary>Bria finishes every job made by <see cref="Job"/>: the next poll of each sees <c>COMPLETED</c>.</summary>
    public void EndJobs() => _clock.Advance(Duration);
}
