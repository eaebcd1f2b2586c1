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
}
