namespace Bria.StatusBridge.Tracking;

/// <summary>The outcome of <see cref="CancelRule"/>: the result to report and the subscriptions to end (none when
/// nothing changes). <see cref="CancelResult.CancelledRequest"/> also ends the request.</summary>
internal sealed record CancelDecision(CancelResult Result, IReadOnlyList<SubscriberView> Ending);
