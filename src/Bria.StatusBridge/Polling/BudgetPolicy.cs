namespace Bria.StatusBridge.Polling;

/// <summary>A token bucket sized so that no sliding minute ever holds more calls than the budget:
/// a burst of at most one second's share, refilled at the rest of the minute's share spread over 61 seconds.
/// Pure arithmetic over the shared bucket row; the tracking store reads and writes that row.</summary>
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
