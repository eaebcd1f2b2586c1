namespace Bria.StatusBridge.Webhooks;

/// <summary>What recording an attempt changed.</summary>
/// <param name="Applied">The delivery was still this replica's and pending (false: its lease was lost).</param>
/// <param name="EndpointDisabled">The attempt disabled its endpoint (410, or failing for too long).</param>
/// <param name="Exhausted">The delivery failed for good.</param>
internal sealed record AttemptRecorded(bool Applied, bool EndpointDisabled, bool Exhausted);
