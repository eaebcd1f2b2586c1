using Bria.StatusBridge.Polling;

namespace Bria.StatusBridge.Tests.Polling;

public sealed class BudgetPolicyTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(1000)]
    [InlineData(6000)]
    public void A_full_bucket_plus_a_minute_of_refill_never_exceeds_the_budget(int requestsPerMinute)
    {
        var policy = BudgetPolicy.FromRequestsPerMinute(requestsPerMinute);

        var mostInAnyMinute = policy.Capacity + (policy.TokensPerMillisecond * 60_000);
        var mostInSixtyOneSeconds = policy.Capacity + (policy.TokensPerMillisecond * 61_000);

        // A second of margin: calls granted within one minute may reach Bria spread over a little more.
        Assert.True(mostInSixtyOneSeconds <= requestsPerMinute + 1e-9, $"{mostInSixtyOneSeconds} > {requestsPerMinute}");
        Assert.True(mostInAnyMinute < requestsPerMinute, $"{mostInAnyMinute} leaves no margin under {requestsPerMinute}");
        Assert.True(mostInAnyMinute >= requestsPerMinute * 0.98, "the budget should be used, not wasted");
        Assert.True(policy.Capacity >= 1);
    }

    [Fact]
    public void A_budget_below_two_per_minute_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BudgetPolicy.FromRequestsPerMinute(1));
    }

    [Theory]
    [InlineData(1000, 1)]
    [InlineData(1000, 4)]
    [InlineData(1000, 10)]
    [InlineData(60, 10)]
    public void A_greedy_caller_never_exceeds_the_budget_in_any_sliding_window_at_any_time_scale(int budget, int timeScale)
    {
        var window = TimeSpan.FromMinutes(1) / timeScale;
        var policy = BudgetPolicy.FromRequestsPerWindow(budget, window);

        var peak = GreedyPeak(policy, window, windows: 5);

        Assert.True(peak <= budget, $"{peak} calls in a window of {window} for a budget of {budget}");
        Assert.True(peak >= budget * 0.95, $"{peak} calls in a window: the budget should be used, not wasted");
    }

    [Fact]
    public void Scaling_only_the_rate_lets_the_burst_break_a_time_scaled_budget()
    {
        // What the lag-vs-budget benchmark did at time scale 10: a real-time budget of 10 000 calls per minute, so the
        // burst (a second's share, 166 calls) stays a real second's share while the scenario minute shrinks to 6 s.
        var window = TimeSpan.FromSeconds(6);
        var unscaledBurst = BudgetPolicy.FromRequestsPerMinute(10_000);

        Assert.True(GreedyPeak(unscaledBurst, window, windows: 5) > 1000);
        Assert.True(GreedyPeak(BudgetPolicy.FromRequestsPerWindow(1000, window), window, windows: 5) <= 1000);
    }

    [Fact]
    public void A_minute_window_is_the_per_minute_policy()
    {
        Assert.Equal(BudgetPolicy.FromRequestsPerMinute(1000), BudgetPolicy.FromRequestsPerWindow(1000, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void An_empty_window_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BudgetPolicy.FromRequestsPerWindow(1000, TimeSpan.Zero));
    }

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    // 600 a minute: a burst of 10, then 590 spread over 61 s.
    private static readonly BudgetPolicy Policy = BudgetPolicy.FromRequestsPerMinute(600);

    [Fact]
    public void A_full_bucket_grants_its_whole_calls_and_no_more_than_asked()
    {
        var full = new BudgetBucket(Policy.Capacity, Now.ToUnixTimeMilliseconds(), 0);

        Assert.Equal(10, Policy.Grant(full, Now, 50).Calls);
        Assert.Equal(3, Policy.Grant(full, Now, 3).Calls);
        Assert.Null(Policy.Grant(full, Now, 3).PausedUntil);
    }

    [Fact]
    public void Only_the_calls_above_half_a_full_bucket_are_spare_for_looks_taken_early()
    {
        // A burst of 10: half of it stays for the due polls of the next moments.
        Assert.Equal(5, Policy.Spare(Policy.Capacity));
        Assert.Equal(2, Policy.Spare(7.9));
        Assert.Equal(0, Policy.Spare(5.5));
        Assert.Equal(0, Policy.Spare(0));
        // A bucket of one call (a budget under 120 a minute) has no half to keep: a whole call is spare.
        var small = BudgetPolicy.FromRequestsPerMinute(100);
        Assert.Equal(1, small.Capacity);
        Assert.Equal(1, small.Spare(1));
        Assert.Equal(0, small.Spare(0.9));
    }

    [Fact]
    public void An_empty_bucket_refills_with_time_up_to_its_capacity()
    {
        var empty = new BudgetBucket(0, Now.ToUnixTimeMilliseconds(), 0);
        var oneCall = TimeSpan.FromMilliseconds(Math.Ceiling(1 / Policy.TokensPerMillisecond));

        Assert.Equal(0, Policy.Grant(empty, Now, 5).Calls);
        Assert.Equal(1, Policy.Grant(empty, Now + oneCall, 5).Calls);
        Assert.Equal(Policy.Capacity, Policy.Grant(empty, Now + TimeSpan.FromHours(1), 1000).Tokens);
    }

    [Fact]
    public void A_429_pause_grants_nothing_until_it_ends()
    {
        var paused = new BudgetBucket(Policy.Capacity, Now.ToUnixTimeMilliseconds(), (Now + TimeSpan.FromSeconds(30)).ToUnixTimeMilliseconds());

        var grant = Policy.Grant(paused, Now, 5);

        Assert.Equal(0, grant.Calls);
        Assert.Equal(Now + TimeSpan.FromSeconds(30), grant.PausedUntil);
        Assert.Equal(5, Policy.Grant(paused, Now + TimeSpan.FromSeconds(31), 5).Calls);
    }

    [Fact]
    public void The_refill_clock_never_moves_back()
    {
        // Another replica claimed with a later clock: this replica's earlier clock refills nothing twice.
        var later = Now + TimeSpan.FromSeconds(2);
        var bucket = new BudgetBucket(0, later.ToUnixTimeMilliseconds(), 0);

        var grant = Policy.Grant(bucket, Now, 5);

        Assert.Equal(0, grant.Tokens);
        Assert.Equal(later.ToUnixTimeMilliseconds(), grant.RefilledAt);
    }

    [Fact]
    public void Spending_every_granted_call_while_work_waits_is_exhaustion_and_says_when_the_next_call_comes()
    {
        var grant = Policy.Grant(new BudgetBucket(Policy.Capacity, Now.ToUnixTimeMilliseconds(), 0), Now, 50);

        var spent = Policy.Settle(grant, claimed: grant.Calls, wanted: 50, Now);
        var lessDue = Policy.Settle(grant, claimed: 4, wanted: 50, Now);
        var allDue = Policy.Settle(grant, claimed: 10, wanted: 10, Now);

        Assert.True(spent.Exhausted);
        Assert.Equal(0, spent.Tokens, 9);
        Assert.Equal(Now + TimeSpan.FromMilliseconds(Math.Ceiling(1 / Policy.TokensPerMillisecond)), spent.NextGrantAt);
        Assert.False(lessDue.Exhausted);
        Assert.Equal(Now, lessDue.NextGrantAt);
        Assert.False(allDue.Exhausted);
    }

    /// <summary>Takes every token as soon as it is there, starting from a full bucket, in 1 ms steps, and counts the
    /// most calls in any sliding window.</summary>
    private static int GreedyPeak(BudgetPolicy policy, TimeSpan window, int windows)
    {
        var tokens = policy.Capacity;
        var calls = new List<long>();
        var windowMs = (long)window.TotalMilliseconds;
        for (long ms = 0; ms < windowMs * windows; ms++)
        {
            tokens = Math.Min(policy.Capacity, tokens + policy.TokensPerMillisecond);
            while (tokens >= 1)
            {
                tokens -= 1;
                calls.Add(ms);
            }
        }

        var peak = 0;
        var start = 0;
        for (var end = 0; end < calls.Count; end++)
        {
            while (calls[end] - calls[start] >= windowMs)
            {
                start++;
            }

            peak = Math.Max(peak, end - start + 1);
        }

        return peak;
    }
}
