using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator.Stats;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Reads the simulator's call log the way Bria would: how many status calls fell into any window of a given
/// length, and which calls came earlier than the poll schedule allows.</summary>
public static class PollingAudit
{
    /// <summary>Clock granularity: the store keeps whole milliseconds and truncates, so a due time may read up to
    /// 1 ms earlier than the instant it was computed from.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(2);

    /// <summary>The most calls whose arrival times lie within any closed window of length <paramref name="window"/>.</summary>
    public static int MaxCallsInWindow(IEnumerable<DateTimeOffset> callTimes, TimeSpan window)
    {
        var times = callTimes.Order().ToArray();
        var max = 0;
        var end = 0;
        for (var start = 0; start < times.Length; start++)
        {
            while (end < times.Length && times[end] - times[start] <= window)
            {
                end++;
            }

            max = Math.Max(max, end - start);
        }

        return max;
    }

    /// <summary>Every call that came before its schedule allowed: the first before tracking start + first delay, each
    /// later one before the previous call + the interval for that poll number shrunk by the full jitter. A double poll
    /// (two replicas, or a request polled again while its lease is held) shows up here as a short gap.</summary>
    /// <param name="stats">The simulator's call log.</param>
    /// <param name="trackedAt">When the bridge stored each request (its <c>created_at</c>).</param>
    /// <param name="schedule">The schedule the bridge was configured with.</param>
    public static IReadOnlyList<string> ScheduleViolations(
        SimulatorStats stats,
        IReadOnlyDictionary<string, DateTimeOffset> trackedAt,
        PollSchedule schedule)
    {
        var violations = new List<string>();
        foreach (var (requestId, tracked) in trackedAt)
        {
            var times = stats.Requests.TryGetValue(requestId, out var request) ? request.CallTimes : [];
            if (times.Count == 0)
            {
                continue;
            }

            var earliest = tracked + schedule.FirstDelay - Tolerance;
            if (times[0] < earliest)
            {
                violations.Add($"{requestId}: first call {(times[0] - tracked).TotalMilliseconds:F1} ms after tracking, first delay {schedule.FirstDelay.TotalMilliseconds} ms");
            }

            for (var k = 1; k < times.Count; k++)
            {
                // After k polls the decider schedules the next one IntervalAfter(k) * (1 ± jitter) after the k-th answer.
                var minimum = (schedule.IntervalAfter(k) * (1 - schedule.Jitter)) - Tolerance;
                var gap = times[k] - times[k - 1];
                if (gap < minimum)
                {
                    violations.Add($"{requestId}: call {k + 1} came {gap.TotalMilliseconds:F1} ms after call {k}; at least {minimum.TotalMilliseconds:F1} ms allowed{Callers(request!, k)}");
                }
            }
        }

        return violations;
    }

    /// <summary>Calls that arrived after the request's first terminal answer: the bridge had the outcome already.</summary>
    public static IReadOnlyList<string> CallsAfterTerminalRead(SimulatorStats stats, IEnumerable<string> requestIds)
    {
        var late = new List<string>();
        foreach (var requestId in requestIds)
        {
            if (stats.Requests.TryGetValue(requestId, out var request) && request.FirstTerminalReadAt is { } terminal)
            {
                var after = request.CallTimes.Count(t => t > terminal);
                if (after > 0)
                {
                    var calls = request.CallTimes.Select((t, i) =>
                        $"+{(t - request.CallTimes[0]).TotalMilliseconds:F0} ms{(request.Callers.Count > i ? $" by {Short(request.Callers[i])}" : "")}");
                    late.Add($"{requestId}: {after} calls after the terminal answer at +{(terminal - request.CallTimes[0]).TotalMilliseconds:F0} ms; calls {string.Join(", ", calls)}");
                }
            }
        }

        return late;
    }

    private static string Short(string? caller) => caller is null ? "?" : caller.Length <= 12 ? caller : caller[^12..];

    private static string Callers(RequestStats request, int k) =>
        request.Callers.Count > k ? $" (callers '{request.Callers[k - 1]}' then '{request.Callers[k]}')" : "";
}
