using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Simulator.Stats;

/// <summary>Counts status calls. One lock around plain collections: each update is a few operations,
/// cheaper and easier to keep consistent than lock-free counters plus a sliding window.</summary>
internal sealed class StatusCallRecorder
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string?>> _callers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _callerCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _firstTerminalRead = new(StringComparer.Ordinal);
    private long _total;
    private long _rateLimited;
    private long _serverErrors;
    private long _notFound;
    private long _unauthorized;
    private int _maxInWindow;

    public void RecordCall(string requestId, DateTimeOffset now, string? caller = null)
    {
        lock (_lock)
        {
            _total++;
            if (!_calls.TryGetValue(requestId, out var times))
            {
                times = [];
                _calls[requestId] = times;
                _callers[requestId] = [];
            }

            times.Add(now);
            _callers[requestId].Add(caller);
            var callerKey = caller ?? "";
            _callerCounts[callerKey] = _callerCounts.GetValueOrDefault(callerKey) + 1;
            _window.Enqueue(now);
            while (_window.Peek() <= now - Window)
            {
                _window.Dequeue();
            }

            _maxInWindow = Math.Max(_maxInWindow, _window.Count);
        }
    }

    public void RecordAnswer(string requestId, int statusCode, bool isTerminal, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (statusCode == StatusCodes.Status429TooManyRequests)
            {
                _rateLimited++;
            }
            else if (statusCode >= 500)
            {
                _serverErrors++;
            }
            else if (statusCode == StatusCodes.Status404NotFound)
            {
                _notFound++;
            }

            if (isTerminal)
            {
                _firstTerminalRead.TryAdd(requestId, now);
            }
        }
    }

    public void RecordUnauthorized()
    {
        lock (_lock)
        {
            _unauthorized++;
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            _window.Clear();
            _calls.Clear();
            _callers.Clear();
            _callerCounts.Clear();
            _firstTerminalRead.Clear();
            _total = _rateLimited = _serverErrors = _notFound = _unauthorized = 0;
            _maxInWindow = 0;
        }
    }

    public SimulatorStats Snapshot(IEnumerable<JobInfo> jobs)
    {
        lock (_lock)
        {
            var requests = new Dictionary<string, RequestStats>(StringComparer.Ordinal);
            foreach (var job in jobs)
            {
                requests[job.RequestId] = Describe(job.RequestId, job);
            }

            foreach (var id in _calls.Keys.Where(id => !requests.ContainsKey(id)))
            {
                requests[id] = Describe(id, job: null);
            }

            return new SimulatorStats
            {
                TotalStatusCalls = _total,
                MaxCallsInAnyMinute = _maxInWindow,
                RateLimited = _rateLimited,
                ServerErrors = _serverErrors,
                NotFound = _notFound,
                Unauthorized = _unauthorized,
                Callers = new Dictionary<string, long>(_callerCounts, StringComparer.Ordinal),
                Requests = requests,
            };
        }
    }

    private RequestStats Describe(string requestId, JobInfo? job)
    {
        var times = _calls.TryGetValue(requestId, out var list) ? list.ToArray() : [];
        return new RequestStats
        {
            Count = times.Length,
            FirstCallAt = times.Length > 0 ? times[0] : null,
            LastCallAt = times.Length > 0 ? times[^1] : null,
            CallTimes = times,
            Callers = _callers.TryGetValue(requestId, out var callers) ? callers.ToArray() : [],
            FirstTerminalReadAt = _firstTerminalRead.TryGetValue(requestId, out var at) ? at : null,
            CreatedAt = job?.CreatedAt,
            FinishesAt = job?.FinishesAt,
        };
    }
}
