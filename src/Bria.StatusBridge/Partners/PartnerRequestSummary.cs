using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Partners;

/// <summary>One line of a partner's list of tracked requests.</summary>
internal sealed record PartnerRequestSummary(
    string RequestId,
    EndpointKind Kind,
    TrackingState State,
    FailureReason? FailureReason,
    DateTimeOffset TrackedAt,
    DateTimeOffset? FinishedAt);
