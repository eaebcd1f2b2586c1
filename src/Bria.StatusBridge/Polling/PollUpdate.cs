using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Polling;

/// <summary>What one poll changed: the counters, and either the next poll time or the terminal outcome.</summary>
internal sealed record PollUpdate(
    string RequestId,
    DateTimeOffset ObservedAt,
    string Observation,
    int? HttpStatus,
    int Polls,
    int ConsecutiveUnknown,
    int ConsecutiveTransient,
    DateTimeOffset? FirstNotFoundAt,
    DateTimeOffset? NextPollAt,
    TerminalOutcome? Outcome)
{
    /// <summary>From when the next look may come before <see cref="NextPollAt"/>, taking a call the shared budget would
    /// otherwise leave unspent (a look at a running job on a learned schedule; never sooner than the minimum interval
    /// after this one). Null: not before <see cref="NextPollAt"/>.</summary>
    public DateTimeOffset? EarlyPollAt { get; init; }
}
