namespace Bria.StatusBridge.Api.Models;

/// <summary>One bin of a learned duration histogram that holds weight: the jobs that ended after the previous bin's
/// <c>up_to_seconds</c> and by this one, as a decayed count (recent jobs weigh more).</summary>
internal sealed record DurationBinResponse(double UpToSeconds, double Weight);
