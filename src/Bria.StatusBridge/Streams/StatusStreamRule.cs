using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Streams;

/// <summary>What a status stream shows: a change is a new observation of Bria's status, the end is the outcome (or the
/// partner cancelling every subscription of its own). Event ids name the state, so a reconnect with
/// <c>Last-Event-ID</c> is answered from the store alone and can never skip the outcome.</summary>
internal static class StatusStreamRule
{
    /// <summary>The SSE event type of an unfinished request's state.</summary>
    public const string StateEvent = "state";

    /// <summary>The SSE event type of the terminal outcome.</summary>
    public const string OutcomeEvent = "outcome";

    /// <summary>The SSE event type sent when the partner cancelled all of its tracking of the request.</summary>
    public const string CancelledEvent = "cancelled";

    public static StatusEvent EventFor(PartnerRequestView view)
    {
        var request = view.Request;
        if (request.State != TrackingState.Tracking)
        {
            return new StatusEvent(OutcomeEvent, WireNames.Of(request.State), Final: true);
        }

        if (view.Subscriptions.Count > 0 && view.Subscriptions.All(s => s.CancelledAt is not null))
        {
            return new StatusEvent(CancelledEvent, CancelledEvent, Final: true);
        }

        return new StatusEvent(StateEvent, $"tracking.{WireNames.Observation(request.LastObservation) ?? "none"}", Final: false);
    }

    public static StatusStreamStart Start(StatusEvent current, string? lastEventId) =>
        !string.Equals(current.Id, lastEventId, StringComparison.Ordinal) ? StatusStreamStart.Send
        : current.Final ? StatusStreamStart.AlreadyEnded
        : StatusStreamStart.Resume;

    /// <summary>Whether a state read after a wake is news to a client that last got <paramref name="lastSentId"/>.</summary>
    public static bool IsChange(StatusEvent current, string? lastSentId) => !string.Equals(current.Id, lastSentId, StringComparison.Ordinal);
}
