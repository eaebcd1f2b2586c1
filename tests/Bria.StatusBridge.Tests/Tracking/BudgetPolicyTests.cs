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
}
