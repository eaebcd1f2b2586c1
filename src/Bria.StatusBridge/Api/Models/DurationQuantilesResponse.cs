namespace Bria.StatusBridge.Api.Models;

/// <summary>Learned job durations (seconds from tracking start to Bria finishing) at a few quantiles.</summary>
internal sealed record DurationQuantilesResponse(double P10, double P50, double P90, double P95, double P99);
