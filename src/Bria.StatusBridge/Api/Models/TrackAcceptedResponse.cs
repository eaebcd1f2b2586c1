namespace Bria.StatusBridge.Api.Models;

/// <summary>The answer to <c>POST /v1/tracked-requests</c>.</summary>
internal sealed record TrackAcceptedResponse(
    string RequestId,
    string State,
    string SubscriberId,
    bool NewRequest,
    bool NewSubscriber);
