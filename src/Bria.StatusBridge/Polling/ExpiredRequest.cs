using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling;

/// <summary>A request the store ended because its deadline passed: what the duration estimate can learn from it (the
/// job ran longer than its last look that saw it running, when one did).</summary>
/// <param name="RequestId">Bria's request id.</param>
/// <param name="Kind">Its endpoint kind.</param>
/// <param name="CreatedAt">When tracking started.</param>
/// <param name="LastSeenRunningAt">The last poll that Bria answered <c>IN_PROGRESS</c>, if the last answer was that.</param>
internal sealed record ExpiredRequest(string RequestId, EndpointKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? LastSeenRunningAt);
