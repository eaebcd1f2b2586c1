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
    TerminalOutcome? Outcome);
