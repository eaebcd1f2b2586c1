using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Tracking;

public sealed class CancelRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_partner_without_a_subscription_finds_nothing_even_on_a_known_request()
    {
        Assert.Equal(CancelResult.NotFound, CancelRule.Decide(TrackingState.Tracking, [Subscriber("s-1", "other")], "acme").Result);
        Assert.Equal(CancelResult.NotFound, CancelRule.Decide(null, [], "acme").Result);
    }

    [Fact]
    public void An_ended_request_or_an_already_cancelled_subscription_changes_nothing()
    {
        Assert.Equal(CancelResult.AlreadyEnded, CancelRule.Decide(TrackingState.Completed, [Subscriber("s-1", "acme")], "acme").Result);
        var again = CancelRule.Decide(TrackingState.Tracking, [Subscriber("s-1", "acme", cancelled: true)], "acme");
        Assert.Equal(CancelResult.AlreadyCancelled, again.Result);
        Assert.Empty(again.Ending);
    }

    [Fact]
    public void The_last_waiting_partner_ends_the_request_while_another_waiting_one_keeps_it_going()
    {
        var last = CancelRule.Decide(TrackingState.Tracking, [Subscriber("s-2", "acme"), Subscriber("s-1", "acme"), Subscriber("s-3", "other", cancelled: true)], "acme");
        var shared = CancelRule.Decide(TrackingState.Tracking, [Subscriber("s-1", "acme"), Subscriber("s-3", "other")], "acme");

        Assert.Equal(CancelResult.CancelledRequest, last.Result);
        Assert.Equal(["s-1", "s-2"], last.Ending.Select(s => s.SubscriberId));
        Assert.Equal(CancelResult.CancelledSubscription, shared.Result);
        Assert.Equal(["s-1"], shared.Ending.Select(s => s.SubscriberId));
    }

    private static SubscriberView Subscriber(string id, string partnerId, bool cancelled = false) =>
        new(id, null, partnerId, null, new Dictionary<string, string>(), Now, cancelled ? Now : null);
}
