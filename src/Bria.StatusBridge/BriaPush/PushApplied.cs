namespace Bria.StatusBridge.BriaPush;

/// <summary>What a webhook from Bria did to its request.</summary>
internal enum PushApplied
{
    /// <summary>The body was terminal: the request ended, with its notifications, in one transaction.</summary>
    Ended,

    /// <summary>The request had already ended (Bria delivers at least once, and polls may be first): nothing changed.</summary>
    AlreadyEnded,

    /// <summary>A non-terminal body: the request is due for a poll now.</summary>
    PollNow,

    /// <summary>A non-terminal body for a request that is being polled right now or whose polling is paused: nothing to do.</summary>
    Unchanged,

    /// <summary>No such request is tracked (yet): the webhook waits for its <c>TrackRequest</c>.</summary>
    NotTracked,
}
