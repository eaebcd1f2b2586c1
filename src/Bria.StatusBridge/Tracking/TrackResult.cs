namespace Bria.StatusBridge.Tracking;

/// <summary>What storing a <see cref="TrackingCommand"/> did.</summary>
/// <param name="NewRequest">The request id was not known: a poll loop starts.</param>
/// <param name="NewSubscriber">The subscriber was added (false for a redelivered command).</param>
/// <param name="State">The request's state after the command.</param>
/// <param name="SubscriberId">The subscriber's id.</param>
/// <param name="SubscriberCancelled">The command names a subscriber that was cancelled: nothing was added, and
/// nothing will be sent to it (a cancellation is final).</param>
internal sealed record TrackResult(bool NewRequest, bool NewSubscriber, TrackingState State, string SubscriberId, bool SubscriberCancelled = false)
{
    /// <summary>The request's polling had paused (every subscriber had cancelled) and this subscriber resumed it.</summary>
    public bool Resumed { get; init; }
}
