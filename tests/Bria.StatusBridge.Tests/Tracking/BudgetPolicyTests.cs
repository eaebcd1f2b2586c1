using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Tracking;

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
