using System.ComponentModel.DataAnnotations;
using Bria.StatusBridge.Retention;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Retention;

public sealed class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_kind_has_its_own_horizon_from_its_own_period()
    {
        var options = new RetentionOptions
        {
            FinishedRequests = TimeSpan.FromDays(30),
            SentOutbox = TimeSpan.FromDays(7),
            Deliveries = TimeSpan.FromDays(14),
            AttemptAnswers = TimeSpan.FromDays(2),
        };

        Assert.Equal((Now - TimeSpan.FromDays(30)).ToUnixTimeMilliseconds(), RetentionPolicy.HorizonOf(options, RetentionKind.FinishedRequests, Now));
        Assert.Equal((Now - TimeSpan.FromDays(7)).ToUnixTimeMilliseconds(), RetentionPolicy.HorizonOf(options, RetentionKind.SentOutbox, Now));
        Assert.Equal((Now - TimeSpan.FromDays(14)).ToUnixTimeMilliseconds(), RetentionPolicy.HorizonOf(options, RetentionKind.Deliveries, Now));
        Assert.Equal((Now - TimeSpan.FromDays(2)).ToUnixTimeMilliseconds(), RetentionPolicy.HorizonOf(options, RetentionKind.AttemptAnswers, Now));
    }

    [Fact]
    public void A_sweep_purges_answers_before_the_deliveries_that_hold_them_and_every_kind_once()
    {
        Assert.Equal(Enum.GetValues<RetentionKind>().Order(), RetentionPolicy.Kinds.Order());
        Assert.True(IndexOf(RetentionKind.AttemptAnswers) < IndexOf(RetentionKind.Deliveries));
    }

    [Fact]
    public void A_backlog_comes_back_after_the_batch_pause_and_a_caught_up_replica_waits_a_jittered_interval()
    {
        var options = new RetentionOptions { BatchPause = TimeSpan.FromMilliseconds(100), Interval = TimeSpan.FromMinutes(1) };

        Assert.Equal(TimeSpan.FromMilliseconds(100), RetentionPolicy.NextWait(options, backlog: true, random: 0.5));
        Assert.Equal(TimeSpan.FromSeconds(48), RetentionPolicy.NextWait(options, backlog: false, random: 0));
        Assert.Equal(TimeSpan.FromMinutes(1), RetentionPolicy.NextWait(options, backlog: false, random: 0.5));
        Assert.True(RetentionPolicy.NextWait(options, backlog: false, random: 0.999) < TimeSpan.FromSeconds(72));
    }

    [Theory]
    [InlineData("30.00:00:00", "30 days")]
    [InlineData("1.00:00:00", "1 day")]
    [InlineData("12:00:00", "12 hours")]
    [InlineData("1.06:30:00", "1 day 6 hours 30 minutes")]
    public void Periods_are_described_as_people_say_them(string period, string expected) =>
        Assert.Equal(expected, RetentionPolicy.Describe(TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_defaults_are_valid_and_keep_answers_no_longer_than_deliveries()
    {
        var defaults = new RetentionOptions();
        Assert.True(defaults.Enabled);
        Assert.Equal(TimeSpan.FromDays(30), defaults.FinishedRequests);
        Assert.Empty(Problems(defaults));
        Assert.True(new RetentionOptionsValidator().Validate(null, defaults).Succeeded);

        var longerAnswers = new RetentionOptions { Deliveries = TimeSpan.FromDays(7), AttemptAnswers = TimeSpan.FromDays(8) };
        var refused = new RetentionOptionsValidator().Validate(null, longerAnswers);
        Assert.True(refused.Failed);
        Assert.Contains("Retention:AttemptAnswers", refused.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Periods_under_an_hour_and_empty_batches_are_refused()
    {
        Assert.Contains(nameof(RetentionOptions.FinishedRequests), Problems(new RetentionOptions { FinishedRequests = TimeSpan.FromMinutes(5) }));
        Assert.Contains(nameof(RetentionOptions.SentOutbox), Problems(new RetentionOptions { SentOutbox = TimeSpan.Zero }));
        Assert.Contains(nameof(RetentionOptions.BatchSize), Problems(new RetentionOptions { BatchSize = 0 }));
    }

    [Fact]
    public void A_not_found_names_the_period_of_its_kind_and_follows_changes()
    {
        var monitor = new TestMonitor(new RetentionOptions { FinishedRequests = TimeSpan.FromDays(30), Deliveries = TimeSpan.FromDays(14) });
        var notice = new RetentionNotice(monitor);

        Assert.Equal("Finished requests are kept for 30 days after they ended; an older one has been purged.", notice.ForRequest());
        Assert.Contains("kept for 14 days", notice.ForDelivery(), StringComparison.Ordinal);

        monitor.CurrentValue = new RetentionOptions { FinishedRequests = TimeSpan.FromDays(90) };
        Assert.Contains("kept for 90 days", notice.ForRequest(), StringComparison.Ordinal);

        monitor.CurrentValue = new RetentionOptions { Enabled = false };
        Assert.Equal("", notice.ForRequest());
    }

    private static int IndexOf(RetentionKind kind) => RetentionPolicy.Kinds.ToList().IndexOf(kind);

    private static List<string> Problems(RetentionOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.SelectMany(r => r.MemberNames)];
    }

    private sealed class TestMonitor(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue { get; set; } = value;

        public RetentionOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}
