using Bria.StatusBridge.Webhooks;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Webhooks;

public sealed class DeliveryRetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Default_schedule_is_ten_attempts_from_immediately_to_24_hours()
    {
        var schedule = new WebhookOptions().EffectiveRetrySchedule;

        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
             TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24)],
            schedule);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(299)]
    public void Only_2xx_delivers(int status) =>
        Assert.Equal(DeliveryDecisionKind.Delivered, Policy().Decide(Delivery(0), Attempt(status), Now).Kind);

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(400)]
    [InlineData(500)]
    public void Redirects_and_errors_are_retried(int status) =>
        Assert.Equal(DeliveryDecisionKind.Retry, Policy().Decide(Delivery(0), Attempt(status), Now).Kind);

    [Fact]
    public void Gone_is_final() => Assert.Equal(DeliveryDecisionKind.Gone, Policy().Decide(Delivery(3), Attempt(410), Now).Kind);

    [Fact]
    public void No_answer_is_retried() =>
        Assert.Equal(DeliveryDecisionKind.Retry, Policy().Decide(Delivery(0), Attempt(null), Now).Kind);

    [Fact]
    public void Each_retry_waits_the_next_step_within_20_percent()
    {
        var policy = Policy(jitter: 0.2, seed: 7);
        var schedule = new WebhookOptions().EffectiveRetrySchedule;
        for (var made = 0; made < schedule.Count - 1; made++)
        {
            for (var i = 0; i < 50; i++)
            {
                var decision = policy.Decide(Delivery(made), Attempt(500), Now);
                var wait = decision.NextAttemptAt!.Value - Now;
                var step = schedule[made + 1];
                Assert.InRange(wait, step * 0.8, step * 1.2);
            }
        }
    }

    [Fact]
    public void Jitter_spreads_the_waits()
    {
        var policy = Policy(jitter: 0.2, seed: 3);
        var waits = Enumerable.Range(0, 100).Select(_ => policy.DelayAfter(3, 500, null)).Distinct().Count();
        Assert.True(waits > 50, $"only {waits} distinct waits");
    }

    [Fact]
    public void The_last_attempt_exhausts_the_delivery()
    {
        var policy = Policy();
        Assert.Equal(DeliveryDecisionKind.Retry, policy.Decide(Delivery(8), Attempt(500), Now).Kind);
        Assert.Equal(DeliveryDecisionKind.Exhausted, policy.Decide(Delivery(9), Attempt(500), Now).Kind);
    }

    [Fact]
    public void A_manual_retry_allows_one_more_attempt()
    {
        var policy = Policy();
        Assert.Equal(DeliveryDecisionKind.Exhausted, policy.Decide(Delivery(10, maxAttempts: 11), Attempt(500), Now).Kind);
        Assert.Equal(DeliveryDecisionKind.Delivered, policy.Decide(Delivery(10, maxAttempts: 11), Attempt(200), Now).Kind);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Retry_after_longer_than_the_step_is_honoured(int status)
    {
        var wait = Policy().DelayAfter(1, status, TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(1), wait);
    }

    [Fact]
    public void Retry_after_is_clamped_to_the_longest_step() =>
        Assert.Equal(TimeSpan.FromHours(24), Policy().DelayAfter(1, 429, TimeSpan.FromDays(30)));

    [Fact]
    public void Retry_after_shorter_than_the_step_keeps_the_step() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Policy().DelayAfter(2, 503, TimeSpan.FromSeconds(1)));

    [Theory]
    [InlineData(500)]
    [InlineData(400)]
    public void Retry_after_of_other_statuses_is_ignored(int status) =>
        Assert.Equal(TimeSpan.FromSeconds(5), Policy().DelayAfter(1, status, TimeSpan.FromHours(1)));

    [Fact]
    public void Configured_schedule_replaces_the_default()
    {
        var policy = new DeliveryRetryPolicy(Options.Create(new WebhookOptions
        {
            RetrySchedule = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)],
            Jitter = 0,
        }));

        Assert.Equal(3, policy.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.DelayAfter(2, 500, null));
        Assert.Equal(DeliveryDecisionKind.Exhausted, policy.Decide(Delivery(2), Attempt(500), Now).Kind);
    }

    [Fact]
    public void Options_validation_names_what_to_fix()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions
        {
            SigningSecret = "not-a-secret",
            AllowedSubnets = ["10.0.0.0/33"],
            LeaseDuration = TimeSpan.FromSeconds(10),
        });

        Assert.True(result.Failed);
        Assert.Contains("Webhooks__SigningSecret", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Webhooks__AllowedSubnets", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Webhooks__LeaseDuration", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions { SigningSecret = WebhookSecret.Generate() }).Succeeded);
    }

    private static DeliveryRetryPolicy Policy(double jitter = 0, int seed = 1) =>
        new(Options.Create(new WebhookOptions { Jitter = jitter }), new Random(seed));

    private static ClaimedDelivery Delivery(int attempts, int? maxAttempts = null) => new(
        "msg_1", "ep_1", "p_1", new Uri("https://receiver.example/"), "endpoint:ep_1", "r-1",
        WebhookEventTypes.RequestFailed, "{}", attempts, maxAttempts, null);

    private static AttemptResult Attempt(int? status) => new(Now, status, TimeSpan.FromMilliseconds(10), null, status is null ? "timeout" : null);
}
