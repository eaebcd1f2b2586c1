namespace Bria.StatusBridge.Polling;

/// <summary>How one endpoint kind's poll times are chosen.</summary>
public enum PollMode
{
    /// <summary>From the durations the bridge has observed for the kind and the budget left (the default); the fixed
    /// schedule applies until enough jobs have been seen (<see cref="LearningOptions.MinJobs"/>).</summary>
    Learned,

    /// <summary>Always the configured schedule (first delay, interval, growth, ceiling).</summary>
    Fixed,
}
