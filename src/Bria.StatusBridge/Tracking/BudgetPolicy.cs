namespace Bria.StatusBridge.Tracking;

/// <summary>A token bucket sized so that no sliding minute ever holds more calls than the budget:
/// a burst of at most one second's share, refilled at the rest of the minute's share spread over 61 seconds.</summary>
internal sealed record BudgetPolicy(double Capacity, double TokensPerMillisecond)
{
    public static BudgetPolicy FromRequestsPerMinute(int requestsPerMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 2);
        // Any 61 s window sees at most Capacity + 61 000 * rate = requestsPerMinute calls. The bucket counts a call
        // when it grants it, Bria when the call arrives: the spare second keeps a minute drawn at arrival times
        // within the budget too, although calls granted together reach Bria a little apart.
        var capacity = Math.Max(1.0, Math.Floor(requestsPerMinute / 60.0));
        var rate = (requestsPerMinute - capacity) / 61_000.0;
        return new BudgetPolicy(capacity, rate);
    }
}
