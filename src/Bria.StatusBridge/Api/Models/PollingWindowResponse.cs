namespace Bria.StatusBridge.Api.Models;

/// <summary>The ages of a running job (seconds from tracking start) between which it is looked at once per pace
/// interval: the share of jobs left out ends before <c>from_seconds</c> or after <c>to_seconds</c>.</summary>
internal sealed record PollingWindowResponse(double FromSeconds, double ToSeconds, double LeftOutShare);
