using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling;

/// <summary>A due request this replica holds a lease on, with what the poll decision needs.</summary>
internal sealed record ClaimedRequest(
    string RequestId,
    EndpointKind Kind,
    DateTimeOffset CreatedAt,
    DateTimeOffset Deadline,
    DateTimeOffset DueAt,
    int Polls,
    int ConsecutiveUnknown,
    int ConsecutiveTransient,
    DateTimeOffset? FirstNotFoundAt,
    string? TraceParent,
    DateTimeOffset? LastPolledAt = null,
    bool BriaPushes = false,
    string? LastObservation = null)
{
    /// <summary>Claimed before its planned time (<see cref="DueAt"/>, still ahead), with a call the budget would
    /// otherwise have lost.</summary>
    public bool Early { get; init; }
}
