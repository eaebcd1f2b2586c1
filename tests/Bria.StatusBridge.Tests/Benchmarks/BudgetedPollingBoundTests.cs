using Bria.StatusBridge.Benchmarks.Infrastructure;
using Xunit.Abstractions;

namespace Bria.StatusBridge.Tests.Benchmarks;

public sealed class BudgetedPollingBoundTests(ITestOutputHelper output)
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Fact]
    public void A_budget_that_never_binds_leaves_the_polling_bound()
    {
        // Fifty jobs ten seconds apart with a budget no schedule comes near: the windows price nothing.
        (double, int)[] jobs = [.. Enumerable.Range(0, 50).Select(i => (i * 10.0, 0))];
        var unbudgeted = PollingBound.Lag([OneToHundred], 5.5, 95);

        var result = BudgetedPollingBound.Lag([OneToHundred], jobs, 5.5, budget: 1e6, windowSeconds: 60, percentile: 95);

        Assert.Equal(unbudgeted, result.Unbudgeted, 1e-3);
        Assert.Equal(unbudgeted, result.Lag, 1e-3);
    }

    [Fact]
    public void A_burst_beyond_the_budget_waits_for_the_next_window()
    {
        // A hundred jobs of exactly 1 s at once, 50 calls per minute: 50 are polled at 1 s, and no poll of the other
        // 50 fits before the window that began with them has passed, at 60 s; 5% may be late, not 50%. The schedule
        // that polls 50 at 1 s and 50 at 60 s keeps the budget (in windows starting every half window too) and reaches
        // 59 s, so the bound is 59 s, where the polling bound, free of the budget, is 0.
        (double, int)[] jobs = [.. Enumerable.Range(0, 100).Select(_ => (0.0, 0))];

        var result = BudgetedPollingBound.Lag([[1.0]], jobs, 1, budget: 50, windowSeconds: 60, percentile: 95);

        Assert.Equal(0, result.Unbudgeted, 1e-3);
        Assert.InRange(result.Lag, 58.8, 59.0 + 1e-6);
    }

    [Fact]
    public void A_burst_within_the_budget_costs_nothing()
    {
        (double, int)[] jobs = [.. Enumerable.Range(0, 40).Select(_ => (0.0, 0))];

        var result = BudgetedPollingBound.Lag([[1.0]], jobs, 1, budget: 50, windowSeconds: 60, percentile: 95);

        Assert.Equal(0, result.Lag, 1e-3);
    }

    [Fact]
    public void A_tighter_budget_never_lowers_the_bound_and_a_binding_one_raises_it()
    {
        // Durations 1..100 s, a job every second for five minutes, about 5.5 calls per job: about 330 calls a minute
        // spent evenly. A burst of 100 more in the middle needs them sooner than an even budget allows.
        (double, int)[] jobs =
        [
            .. Enumerable.Range(0, 300).Select(i => ((double)i, 0)),
            .. Enumerable.Range(0, 100).Select(i => (150 + (i * 0.05), 0)),
        ];
        var previous = 0.0;
        var unbudgeted = double.NaN;
        foreach (var budget in new[] { 1e6, 600, 450, 300 })
        {
            var result = BudgetedPollingBound.Lag([OneToHundred], jobs, 5.5, budget, windowSeconds: 60, percentile: 95);
            unbudgeted = double.IsNaN(unbudgeted) ? result.Unbudgeted : unbudgeted;
            Assert.Equal(unbudgeted, result.Unbudgeted, 1e-3);
            Assert.True(result.Lag >= previous - 1e-2, $"{result.Lag} at a budget of {budget}/min after {previous}");
            previous = result.Lag;
            output.WriteLine($"budget {budget}/min: {result.Lag:0.000} s (unbudgeted {result.Unbudgeted:0.000} s)");
        }

        Assert.True(previous > unbudgeted * 1.2, $"a budget of 300/min for about 400 calls/min on average left {previous} against {unbudgeted}");
    }

    [Fact]
    public void Fewer_than_one_call_per_job_is_impossible()
    {
        Assert.True(double.IsNaN(BudgetedPollingBound.Lag([OneToHundred], [(0, 0)], 0.9, 100, 60, 95).Lag));
    }

    [Fact]
    public void A_job_of_a_kind_without_durations_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BudgetedPollingBound.Lag([OneToHundred, []], [(0, 1)], 2, 100, 60, 95));
    }
}
