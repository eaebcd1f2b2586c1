namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>What the simulator decided about a job when it was created.</summary>
public sealed record JobInfo(
    string RequestId,
    JobKind EndpointKind,
    JobOutcome Outcome,
    DateTimeOffset CreatedAt,
    DateTimeOffset FinishesAt,
    DateTimeOffset ExpiresAt,
    Uri? WebhookUrl = null);
