namespace Bria.StatusBridge.Simulator.Faults;

/// <summary>Decides, per status call, the budget (429) and the injected faults. One lock: the work inside is tiny.</summary>
internal sealed class FaultInjector(FaultSettings initial, int randomSeed)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Random _random = new(randomSeed);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _budgetWindows = new(StringComparer.Ordinal);
    private FaultSettings _settings = initial;
    private int _faultsServed;

    public FaultSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    public void Replace(FaultSettings settings)
    {
        lock (_lock)
        {
            _settings = settings;
            _faultsServed = 0;
            _budgetWindows.Clear();
        }
    }

    public StatusAdmission Admit(string token, string requestId, DateTimeOffset now)
    {
        lock (_lock)
        {
            var s = _settings;
            var latency = TimeSpan.FromMilliseconds(s.LatencyMs);

            // The budget comes first: a call over it never reaches the service, so it meets no outage either.
            // Rejected calls do not take a place in the window (documented choice; Bria's exact rule is unknown).
            if (s.RequestsPerMinute is { } rpm)
            {
                if (!_budgetWindows.TryGetValue(token, out var window))
                {
                    window = new Queue<DateTimeOffset>();
                    _budgetWindows[token] = window;
                }

                while (window.Count > 0 && window.Peek() <= now - Window)
                {
                    window.Dequeue();
                }

                if (window.Count >= rpm)
                {
                    var wait = window.Peek() + Window - now;
                    int? retryAfter = s.RateLimitRetryAfter ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : null;
                    return new StatusAdmission(latency, StatusCodes.Status429TooManyRequests, retryAfter, IncludeRequestId: false, FromBudget: true);
                }

                window.Enqueue(now);
            }

            if (s.StatusCode is { } code
                && (s.Count is null || _faultsServed < s.Count)
                && (s.RequestIds is null || s.RequestIds.Count == 0 || s.RequestIds.Contains(requestId, StringComparer.Ordinal))
                && (s.Rate >= 1 || _random.NextDouble() < s.Rate))
            {
                _faultsServed++;
                return new StatusAdmission(latency, code, s.RetryAfterSeconds, s.IncludeRequestId, FromBudget: false);
            }

            return new StatusAdmission(latency, FailureCode: null, RetryAfterSeconds: null, IncludeRequestId: false, FromBudget: false);
        }
    }
}
