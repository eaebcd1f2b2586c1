using Bria.StatusBridge.Benchmarks.Infrastructure;

namespace Bria.StatusBridge.Tests.Benchmarks;

public sealed class LatenciesTests
{
    private static Latencies OneToN(int n)
    {
        var latencies = new Latencies();
        foreach (var i in Enumerable.Range(1, n))
        {
            latencies.Record(i);
        }

        return latencies;
    }

    [Fact]
    public void The_p95_interval_holds_the_p95_and_narrows_as_samples_grow()
    {
        // Lags 1..n ms: p95 is about 0.95 n; the interval is the order statistics about 1.96 sqrt(n 0.95 0.05) around it.
        var few = OneToN(300).PercentileInterval(95);
        var many = OneToN(3000).PercentileInterval(95);

        Assert.Equal((278.0, 294.0), few);
        Assert.InRange(many.Low, 2826, 2828);
        Assert.InRange(many.High, 2873, 2875);
        Assert.True((many.High - many.Low) / 3000 < (few.High - few.Low) / 300.0, $"{many} should be narrower than {few} in proportion");
    }

    [Fact]
    public void Too_few_samples_give_no_bound_where_none_can_be_said()
    {
        var (low, high) = OneToN(20).PercentileInterval(95);

        Assert.InRange(low, 1, 20);
        Assert.True(double.IsNaN(high), $"20 samples cannot bound p95 from above, got {high}");
        Assert.Equal("-", Latencies.Seconds(high));
    }

    [Fact]
    public void Jobs_never_notified_count_as_the_longest_lag_and_past_the_percentile_as_never()
    {
        var notified = OneToN(97);

        // 97 of 100 jobs notified: p95 of all is the 95th smallest of the 97; 94 of 100 notified: never.
        Assert.Equal(95, notified.PercentileOfAll(95, 100));
        Assert.Equal(double.PositiveInfinity, OneToN(94).PercentileOfAll(95, 100));
        Assert.Equal("never", Latencies.Seconds(OneToN(94).PercentileOfAll(95, 100)));
        Assert.Equal(notified.Percentile(95), notified.PercentileOfAll(95, 97));
    }
}
