namespace Bria.StatusBridge.Simulator.Faults;

/// <summary>Faults applied to <c>GET /v2/status</c> (<c>PUT /simulator/faults</c>); the defaults mean none.</summary>
public sealed record FaultSettings
{
    /// <summary>The code of injected failures: 429 or 500-599 (502, 503, 504 are the ones Bria shows); null for none.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Share of status calls that fail with <see cref="StatusCode"/>.</summary>
    public double Rate { get; init; } = 1.0;

    /// <summary>Fail at most this many calls, then answer normally again; null for no limit.</summary>
    public int? Count { get; init; }

    /// <summary>Fail only calls for these request ids; null or empty for every id.</summary>
    public IReadOnlyList<string>? RequestIds { get; init; }

    /// <summary>Whether an injected failure's body carries the polled <c>request_id</c>.</summary>
    public bool IncludeRequestId { get; init; }

    /// <summary>The <c>Retry-After</c> header (seconds) of injected failures; null to send none.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Milliseconds added before every status answer.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Status calls allowed per token in any 60 s (sliding window); null for no budget.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Whether a 429 from the budget carries <c>Retry-After</c>: the whole seconds until the
    /// oldest call in the window leaves it.</summary>
    public bool RateLimitRetryAfter { get; init; } = true;

    /// <summary>Describes what is wrong with these settings, or null when they are usable.</summary>
    public string? Problem()
    {
        if (StatusCode is { } code && code != StatusCodes.Status429TooManyRequests && code is < 500 or > 599)
        {
            return "status_code must be 429 or 500-599.";
        }

        if (Rate is < 0 or > 1)
        {
            return "rate must lie in [0, 1].";
        }

        if (Count is < 0 || LatencyMs < 0 || RetryAfterSeconds is < 0)
        {
            return "count, latency_ms and retry_after_seconds must not be negative.";
        }

        return RequestsPerMinute is <= 0 ? "requests_per_minute must be positive when set." : null;
    }
}
