using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Tests.Polling.Learning;

public sealed class DurationHistogramTests
{
    private const double NoDecay = 1.0;

    [Fact]
    public void An_empty_histogram_knows_nothing()
    {
        var empty = DurationHistogram.Empty;

        Assert.Equal(0, empty.Observations);
        Assert.Equal(0, empty.Total);
        Assert.Equal(0, empty.Cdf(10));
        Assert.Equal(0, empty.Quantile(0.5));
        Assert.Null(empty.AgeWhenLikely(1, 0.1));
    }

    [Fact]
    public void Exact_durations_give_their_quantiles_within_a_bin()
    {
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 1000; i++)
        {
            var duration = 3 + (17 * (i + 0.5) / 1000);
            histogram = histogram.Observe(duration, duration, NoDecay);
        }

        Assert.Equal(1000, histogram.Observations);
        Assert.Equal(1000, histogram.Total, 6);
        Assert.InRange(histogram.Quantile(0.01), 2.9, 3.4);
        Assert.InRange(histogram.Quantile(0.5), 11.5 * 0.95, 11.5 * 1.05);
        Assert.InRange(histogram.Quantile(0.95), 19.15 * 0.95, 19.15 * 1.05);
        Assert.InRange(histogram.Cdf(2.5), 0, 0.001);
        Assert.Equal(1, histogram.Cdf(25), 6);
    }

    [Fact]
    public void Interval_censored_polls_recover_the_distribution()
    {
        // Jobs of 3-20 s polled first at 2 s, then every second: each is known only to have ended between two polls.
        var random = new Random(11);
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 2000; i++)
        {
            var duration = 3 + (17 * random.NextDouble());
            var offset = random.NextDouble();
            var lastRunning = 0.0;
            var poll = 2 + offset;
            while (poll < duration)
            {
                lastRunning = poll;
                poll += 1;
            }

            histogram = histogram.Observe(lastRunning, poll, NoDecay);
        }

        Assert.InRange(histogram.Quantile(0.5), 11.5 * 0.93, 11.5 * 1.07);
        Assert.InRange(histogram.Quantile(0.95), 19.15 * 0.93, 19.15 * 1.07);
        // Nothing ended before 3 s, although every interval that started at tracking reached back to 0.
        Assert.InRange(histogram.Cdf(2.5), 0, 0.02);
    }

    [Fact]
    public void A_wide_first_interval_is_placed_where_the_estimate_already_puts_jobs()
    {
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 200; i++)
        {
            histogram = histogram.Observe(10, 10.5, NoDecay);
        }

        // Finished by the first poll at 12 s: somewhere in (0, 12], most likely where the others ended.
        var after = histogram.Observe(0, 12, NoDecay);

        var added = after.Cdf(11) - (histogram.Cdf(11) * 200 / 201);
        Assert.InRange(added * 201, 0.85, 1.0);
    }

    [Fact]
    public void Recent_jobs_weigh_more_and_the_weight_stays_bounded()
    {
        var decay = Math.Pow(0.5, 1.0 / 100);
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 500; i++)
        {
            histogram = histogram.Observe(5, 5, decay);
        }

        for (var i = 0; i < 500; i++)
        {
            histogram = histogram.Observe(15, 15, decay);
        }

        Assert.Equal(1000, histogram.Observations);
        Assert.InRange(histogram.Quantile(0.5), 14, 16);
        // About 1 / (1 - decay) = 144.8 jobs of weight, however many were seen.
        Assert.InRange(histogram.Total, 140, 146);
        Assert.InRange(histogram.Cdf(6), 0.02, 0.04);
    }

    [Fact]
    public void The_stored_form_round_trips_and_a_foreign_layout_starts_over()
    {
        var histogram = DurationHistogram.Empty.Observe(2, 4, NoDecay).Observe(30, 31, NoDecay);

        var read = DurationHistogram.FromJson(histogram.ToJson(), histogram.Observations);

        Assert.Equal(2, read.Observations);
        Assert.Equal(histogram.Quantile(0.25), read.Quantile(0.25), 4);
        Assert.Equal(histogram.Quantile(0.9), read.Quantile(0.9), 4);
        Assert.Same(DurationHistogram.Empty, DurationHistogram.FromJson("[1,2,3]", 3));
        Assert.Same(DurationHistogram.Empty, DurationHistogram.FromJson("[]", 0));
    }

    [Fact]
    public void The_chance_of_finishing_since_a_look_follows_the_remaining_jobs()
    {
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < 1000; i++)
        {
            var duration = 10 + (10 * (i + 0.5) / 1000);
            histogram = histogram.Observe(duration, duration, NoDecay);
        }

        // Running at 12 s: 8 s of jobs remain; a tenth of them end within 0.8 s.
        Assert.InRange(histogram.AgeWhenLikely(12, 0.1)!.Value, 12.7, 12.9);
        // Before any job can end, the first chance lies at the start of the durations.
        Assert.InRange(histogram.AgeWhenLikely(2, 0.01)!.Value, 9.7, 10.3);
        // Past every job seen: the estimate says nothing.
        Assert.Null(histogram.AgeWhenLikely(25, 0.1));
        Assert.InRange(histogram.LastOccupiedEdge(), 20, 22);
    }
}
