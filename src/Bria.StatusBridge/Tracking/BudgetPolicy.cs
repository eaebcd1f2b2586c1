namespace Bria.StatusBridge.Tracking;

/// <summary>A token bucket sized so that no sliding minute ever holds more calls than the budget:
/// a burst of at most one second's share, refilled at the rest of the minute's share.</summary>
internal sealed record BudgetPolicy(double Capacity, double TokensPerMillisecond)
{
    public static BudgetPolicy FromRequestsPerMinute(int requestsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 2);
        // Any 60 s window sees at most Capacity + 60 000 * rate = requestsPerMinute calls.
        var capacity = Math.Max(1.0, Math.Floor(requestsPerMinute / 60.0));
        var rate = (requestsPerMinute - capacity) / 60_000.0;
        return new BudgetPolicy(capacity, rate);
    }
}
