using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Api.Models;

/// <summary>A tracked request as the caller sees it: the poll state, the outcome, its own subscriptions and deliveries.</summary>
internal sealed record TrackedRequestResponse(
    string RequestId,
    EndpointKind EndpointKind,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset Deadline,
    DateTimeOffset? NextPollAt,
    int Polls,
    DateTimeOffset? LastPolledAt,
    string? LastObservation,
    int? LastHttpStatus,
    BriaResult? Result,
    FailureReason? FailureReason,
    BriaError? Error,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? NoticedAt,
    IReadOnlyList<SubscriberResponse> Subscribers,
    IReadOnlyList<DeliveryResponse> Deliveries);
