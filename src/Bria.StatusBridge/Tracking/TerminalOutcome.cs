using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Tracking;

/// <summary>How a tracked request ended: a result, or a failure reason with Bria's error if there was one.</summary>
internal sealed record TerminalOutcome(FailureReason? Reason, BriaResult? Result, BriaError? Error, DateTimeOffset FinishedAt)
{
    public TrackingState State => Reason is null ? TrackingState.Completed : TrackingState.Failed;

    public static TerminalOutcome Completed(BriaResult result, DateTimeOffset at) => new(null, result, null, at);

    public static TerminalOutcome Failed(FailureReason reason, BriaError? error, DateTimeOffset at) => new(reason, null, error, at);
}
