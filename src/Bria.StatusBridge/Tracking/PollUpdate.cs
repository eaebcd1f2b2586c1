namespace Bria.StatusBridge.Tracking;

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
