using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The shared estimate of one kind's durations, as stored.</summary>
internal sealed record DurationEstimate(EndpointKind Kind, DurationHistogram Histogram, DateTimeOffset UpdatedAt);
