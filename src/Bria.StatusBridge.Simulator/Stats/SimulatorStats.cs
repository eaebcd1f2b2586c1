namespace Bria.StatusBridge.Simulator.Stats;

/// <summary>A snapshot of the status calls served since start or the last reset.</summary>
public sealed record SimulatorStats
{
    /// <summary>Authorised status calls received (every answer counted: 200, 404, 429, 5xx).</summary>
    public long TotalStatusCalls { get; init; }

    /// <summary>The most status calls that arrived within any 60-second sliding window.</summary>
    public int MaxCallsInAnyMinute { get; init; }

    /// <summary>429 answers served (budget and injected).</summary>
    public long RateLimited { get; init; }

    /// <summary>5xx answers served.</summary>
    public long ServerErrors { get; init; }

    /// <summary>404 NOT_FOUND answers served.</summary>
    public long NotFound { get; init; }

    /// <summary>Requests on Bria endpoints rejected for a missing or wrong <c>api_token</c>.</summary>
    public long Unauthorized { get; init; }

    /// <summary>Status calls per <c>User-Agent</c> (an empty key for calls without one): which client made how many.</summary>
    public IReadOnlyDictionary<string, long> Callers { get; init; } = new Dictionary<string, long>();

    /// <summary>Bria's own webhooks: sent, delivered, failed, lost.</summary>
    public WebhookStats Webhooks { get; init; } = new();

    /// <summary>Per request id: every known job and every id that was polled.</summary>
    public IReadOnlyDictionary<string, RequestStats> Requests { get; init; } = new Dictionary<string, RequestStats>();
}
