using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>One job of <paramref name="Kind"/> seen to the end: it ended more than <paramref name="LowSeconds"/> and at
/// most <paramref name="HighSeconds"/> after tracking started (its last <c>IN_PROGRESS</c> answer and its first terminal
/// one); <paramref name="HighSeconds"/> is infinite for a job whose deadline passed while it still ran.</summary>
internal sealed record DurationObservation(EndpointKind Kind, double LowSeconds, double HighSeconds);
