namespace Bria.StatusBridge.Webhooks;

/// <summary>One attempt to deliver a webhook message.</summary>
internal sealed record AttemptRecord(
    string AttemptId,
    int Attempt,
    DateTimeOffset AttemptedAt,
    int? StatusCode,
    int LatencyMs,
    string? ResponseBody,
    string? Error);
