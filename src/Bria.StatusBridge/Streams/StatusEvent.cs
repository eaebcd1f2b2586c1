namespace Bria.StatusBridge.Streams;

/// <summary>What a status stream sends for one state of a request: the SSE event type, its id (what
/// <c>Last-Event-ID</c> returns on a reconnect), and whether the stream ends with it.</summary>
internal sealed record StatusEvent(string Type, string Id, bool Final);
