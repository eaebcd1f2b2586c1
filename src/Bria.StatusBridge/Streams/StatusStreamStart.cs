namespace Bria.StatusBridge.Streams;

/// <summary>How a stream opens, given the client's <c>Last-Event-ID</c>.</summary>
internal enum StatusStreamStart
{
    /// <summary>Send the current state (then wait for changes, unless it is final).</summary>
    Send = 0,

    /// <summary>The client already has the current state: wait for the next change.</summary>
    Resume = 1,

    /// <summary>The client already has the final event: nothing more will come (204, which stops EventSource).</summary>
    AlreadyEnded = 2,
}
