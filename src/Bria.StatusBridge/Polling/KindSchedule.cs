namespace Bria.StatusBridge.Polling;

/// <summary>The schedule of one endpoint kind (<c>Polling:Image</c>, <c>Polling:Video</c>, <c>Polling:StructuredPrompt</c>):
/// the fixed schedule, and whether the kind polls on it or on a learned one.</summary>
public sealed class KindSchedule : PollSchedule
{
    /// <summary><see cref="PollMode.Learned"/> (the default): poll times follow the durations observed for the kind
    /// and the budget left, with this schedule until enough jobs were seen; <see cref="PollMode.Fixed"/>: always this schedule.</summary>
    public PollMode Mode { get; set; } = PollMode.Learned;
}
