namespace Bria.StatusBridge.Api.Models;

/// <summary>What cancelling did: <c>subscription_cancelled</c> (others still wait, polling goes on) or <c>request_cancelled</c> (polling stopped).</summary>
internal sealed record CancelResponse(
    string RequestId,
    string Outcome,
    bool Notified);
