namespace Bria.StatusBridge.Tracking;

/// <summary>What cancelling a partner's tracking did.</summary>
internal enum CancelResult
{
    /// <summary>The partner has no subscription to the request (or the request is unknown).</summary>
    NotFound = 0,

    /// <summary>The request had already ended; nothing changed.</summary>
    AlreadyEnded = 1,

    /// <summary>The partner's subscriptions were already cancelled; nothing changed.</summary>
    AlreadyCancelled = 2,

    /// <summary>The partner's subscriptions ended; other subscribers keep the poll loop going.</summary>
    CancelledSubscription = 3,

    /// <summary>The partner was the last subscriber: polling pauses until someone subscribes again (the request does
    /// not end; a later subscriber gets Bria's real outcome).</summary>
    CancelledRequest = 4,
}
