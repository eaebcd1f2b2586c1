namespace Bria.StatusBridge.Webhooks;

/// <summary>What one attempt observed.</summary>
/// <param name="AttemptedAt">When the request started.</param>
/// <param name="StatusCode">The HTTP status, or null when no answer arrived.</param>
/// <param name="Latency">From the start of the request to the end of reading the (capped) body.</param>
/// <param name="ResponseBody">The first bytes of the answer's body, as text.</param>
/// <param name="Error">Why there was no answer (timeout, refused address, connection error), or null.</param>
/// <param name="RetryAfter">The answer's <c>Retry-After</c>, as a wait from the attempt.</param>
internal sealed record AttemptResult(
    DateTimeOffset AttemptedAt,
    int? StatusCode,
    TimeSpan Latency,
    string? ResponseBody,
    string? Error,
    TimeSpan? RetryAfter = null)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
