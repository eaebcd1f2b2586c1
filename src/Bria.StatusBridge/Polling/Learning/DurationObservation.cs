using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>One finished job of <paramref name="Kind"/>: it ended more than <paramref name="LowSeconds"/> and at most
/// <paramref name="HighSeconds"/> after tracking started (its last <c>IN_PROGRESS</c> answer and its first terminal one).</summary>
internal sealed record DurationObservation(EndpointKind Kind, double LowSeconds, double HighSeconds);
