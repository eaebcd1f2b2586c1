namespace Bria.StatusBridge.Tracking;

/// <summary>A token bucket sized so that no sliding window (a minute) ever holds more calls than the budget:
/// a burst of at most a sixtieth of the window's share, refilled at the rest of it spread over 61/60 of the window.</summary>
internal sealed record BudgetPolicy(double Capacity, double TokensPerMillisecond)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static BudgetPolicy FromRequestsPerMinute(int requestsPerMinute) => FromRequestsPerWindow(requestsPerMinute, Minute);

    /// <summary>The bucket for <paramref name="requests"/> calls in any sliding <paramref name="window"/>. Bria's window is
    /// a minute; a time-scaled run (the benchmarks) shortens it, and the burst must shrink with it, or the burst alone
    /// breaks the scaled budget.</summary>
    public static BudgetPolicy FromRequestsPerWindow(int requests, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requests, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        // Any window of 61/60 its length sees at most Capacity + (61/60 window) * rate = requests calls. The bucket
        // counts a call when it grants it, Bria when the call arrives: the spare sixtieth keeps a window drawn at
        // arrival times within the budget too, although calls granted together reach Bria a little apart.
        var capacity = Math.Max(1.0, Math.Floor(requests / 60.0));
        var rate = (requests - capacity) / (window.TotalMilliseconds * 61 / 60);
        return new BudgetPolicy(capacity, rate);
    }
}
