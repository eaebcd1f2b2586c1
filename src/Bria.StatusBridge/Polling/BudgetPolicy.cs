namespace Bria.StatusBridge.Polling;

/// <summary>A token bucket sized so that no sliding window (a minute) ever holds more calls than the budget:
/// a burst of at most a sixtieth of the window's share, refilled at the rest of it spread over 61/60 of the window.
/// Pure arithmetic over the shared bucket row; the tracking store reads and writes that row.</summary>
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

    /// <summary>How many of <paramref name="wanted"/> calls the bucket grants at <paramref name="now"/>: none while a
    /// 429 pause lasts, otherwise as many whole tokens as the refilled bucket holds.</summary>
    public BudgetGrant Grant(BudgetBucket bucket, DateTimeOffset now, int wanted)
    {
        var at = now.ToUnixTimeMilliseconds();
        if (bucket.PausedUntil > at)
        {
            return new BudgetGrant(0, bucket.Tokens, bucket.RefilledAt, DateTimeOffset.FromUnixTimeMilliseconds(bucket.PausedUntil));
        }

        var elapsed = Math.Max(0, at - bucket.RefilledAt);
        var tokens = Math.Min(Capacity, bucket.Tokens + (elapsed * TokensPerMillisecond));
        // Never move the refill clock back: a replica that read its clock before another replica's claim took the
        // row lock would otherwise make the next claim refill that stretch of time a second time.
        return new BudgetGrant((int)Math.Min(wanted, Math.Floor(tokens)), tokens, Math.Max(at, bucket.RefilledAt), null);
    }

    /// <summary>How many of <paramref name="tokens"/> (what the bucket holds after the due polls) may go to looks taken
    /// before their planned time: all whole tokens above half the capacity. A full bucket loses what it refills, so calls
    /// nobody claims are lost; the half kept back still lets the due polls of the next moments through at once.</summary>
    public int Spare(double tokens) => Math.Max(0, (int)Math.Floor(tokens - Math.Floor(Capacity / 2)));

    /// <summary>The bucket after <paramref name="claimed"/> of the granted calls were spent, whether the budget (not
    /// the due work) was the limit, and when the next call can be granted.</summary>
    public BudgetSettlement Settle(BudgetGrant grant, int claimed, int wanted, DateTimeOffset now)
    {
        var tokens = grant.Tokens - claimed;
        var nextGrantAt = TokensPerMillisecond <= 0 || tokens >= 1
            ? now
            : now + TimeSpan.FromMilliseconds(Math.Ceiling((1 - tokens) / TokensPerMillisecond));
        return new BudgetSettlement(tokens, grant.RefilledAt, claimed < wanted && claimed == grant.Calls, nextGrantAt);
    }
}
