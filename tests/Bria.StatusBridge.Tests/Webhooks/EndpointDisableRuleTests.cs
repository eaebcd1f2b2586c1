using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Tests.Webhooks;

public sealed class EndpointDisableRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FiveDays = TimeSpan.FromDays(5);

    [Fact]
    public void Gone_disables_at_once_even_on_the_first_failure()
    {
        Assert.Equal(WebhookEndpointDisabledReason.Gone, EndpointDisableRule.Decide(DeliveryDecisionKind.Gone, Now, Now, FiveDays));
    }

    [Fact]
    public void Failures_disable_only_once_the_run_has_lasted_the_period()
    {
        foreach (var decision in new[] { DeliveryDecisionKind.Retry, DeliveryDecisionKind.Exhausted })
        {
            Assert.Null(EndpointDisableRule.Decide(decision, Now - FiveDays + TimeSpan.FromMilliseconds(1), Now, FiveDays));
            Assert.Equal(WebhookEndpointDisabledReason.FailingTooLong, EndpointDisableRule.Decide(decision, Now - FiveDays, Now, FiveDays));
        }
    }

    [Fact]
    public void A_delivered_attempt_never_disables()
    {
        Assert.Null(EndpointDisableRule.Decide(DeliveryDecisionKind.Delivered, Now - TimeSpan.FromDays(30), Now, FiveDays));
    }

    [Fact]
    public void The_reason_tells_the_partner_what_happened()
    {
        Assert.Equal("The endpoint answered 410 Gone.", EndpointDisableRule.Describe(WebhookEndpointDisabledReason.Gone, Now));
        Assert.Equal(
            "Every attempt failed since 2026-11-24T12:00:00.0000000+00:00.",
            EndpointDisableRule.Describe(WebhookEndpointDisabledReason.FailingTooLong, Now - FiveDays));
    }
}
