using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Tracking;

/// <summary>A tracked request as stored: state, last observation, outcome and subscribers.</summary>
internal sealed record TrackedRequestView(
    string RequestId,
    EndpointKind Kind,
    TrackingState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset Deadline,
    DateTimeOffset? NextPollAt,
    int Polls,
    DateTimeOffset? LastPolledAt,
    string? LastObservation,
    int? LastHttpStatus,
    TerminalOutcome? Outcome,
    DateTimeOffset? NoticedAt,
    IReadOnlyList<SubscriberView> Subscribers);
