namespace Bria.StatusBridge.Api.Models;

/// <summary>One delivery attempt: status code, latency, the first 20 KB of the answer, or the error.</summary>
internal sealed record AttemptResponse(
    string AttemptId,
    int Attempt,
    DateTimeOffset AttemptedAt,
    int? StatusCode,
    int LatencyMs,
    string? ResponseBody,
    string? Error);
