using Bria.StatusBridge.Polling.Learning;

namespace Bria.StatusBridge.Tests.Polling.Learning;

public sealed class DurationHistogramTests
{
    private const double NoDecay = 1.0;

    /// <summary><paramref name="count"/> jobs of exactly known durations, evenly spread over <paramref name="from"/> to <paramref name="to"/> seconds.</summary>
    private static DurationHistogram Evenly(int count, double from, double to, Func<double, double>? shape = null)
    {
        var histogram = DurationHistogram.Empty;
        for (var i = 0; i < count; i++)
        {
            var at = (i + 0.5) / count;
            var duration = shape?.Invoke(at) ?? from + ((to - from) * at);
            histogram = histogram.Observe(duration, duration, NoDecay);
        }

        return histogram;
    }

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
        var histogram = Evenly(1000, 3, 20);

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

    /// <summary>Feeds <paramref name="count"/> jobs of <paramref name="duration"/> into the estimate as a learned schedule
    /// would see them: looked at first one pace (jittered by up to a fifth) after the window opens (the estimate's own,
    /// leaving out <paramref name="share"/>), then once per pace, a job past the window once it has aged another quarter; before 20 jobs, on
    /// the images' fixed schedule (2 s, then every second).</summary>
    private static DurationHistogram ClosedLoop(DurationHistogram histogram, int count, Func<double> duration, double pace, Random random, double share = 0.03)
    {
        var decay = Math.Pow(0.5, 1.0 / 500);
        for (var i = 0; i < count; i++)
        {
            var ends = duration();
            var learned = histogram.Observations >= 20;
            var (from, to) = learned ? histogram.PollingWindow(share) : (1.0, double.MaxValue);
            var step = learned ? pace : 1.0;
            var look = from + (step * (1 + (0.2 * random.NextDouble())));
            var lastRunning = 0.0;
            while (look < ends)
            {
                lastRunning = look;
                look += look >= to ? Math.Max(step, look / 4) : step;
            }

            histogram = histogram.Observe(lastRunning, look, decay);
        }

        return histogram;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.2)]
    [InlineData(3.0)]
    public void Jobs_found_finished_at_their_first_look_do_not_pull_the_window_below_the_shortest_job(double pace)
    {
        // The estimate is fed only by the looks of the schedule it sets. Images of 3-20 s: 3% end by 3.51 s. Spread
        // over [0, first look] by the belief, jobs found finished at their first look put weight below 3 s, the window
        // opened at 1.4-2.6 s and stayed there.
        var random = new Random(5);
        var histogram = ClosedLoop(DurationHistogram.Empty, 3000, () => 3 + (17 * random.NextDouble()), pace, random);

        Assert.InRange(histogram.PollingWindow(0.03).From, 3, 4);
        Assert.InRange(histogram.Quantile(0.5), 11.5 * 0.93, 11.5 * 1.07);

        // Then the jobs get much shorter (1-2 s): nothing is seen after the first looks any more, and the estimate
        // follows them down.
        histogram = ClosedLoop(histogram, 1500, () => 1 + random.NextDouble(), pace, random);

        Assert.True(histogram.PollingWindow(0.03).From < 1.5, $"window opens at {histogram.PollingWindow(0.03).From:0.00} s");
        Assert.True(histogram.Quantile(0.5) < Math.Max(2.6, pace), $"median {histogram.Quantile(0.5):0.00} s");
    }

    [Theory]
    [InlineData(1.0, 0.01)]
    [InlineData(1.0, 0.03)]
    [InlineData(2.2, 0.03)]
    [InlineData(3.0, 0.03)]
    [InlineData(1.8, 0.0)]
    public void The_window_leaves_out_about_the_share_asked_for_at_the_start_of_the_shortest_jobs(double pace, double share)
    {
        // Images of 3-20 s seen only through the schedule the estimate sets: the jobs found finished at their first look
        // say only "by then". Laid down by the belief (which has little below the window), they leant towards the look,
        // and the window opened later than the share asked for: 2.0% of the jobs before it for 1%, 4.5% for 3%. Asked
        // to leave out nothing (the images of a mix), it opened at the first stray weight, 2.3-2.6 s.
        var random = new Random(5);
        var histogram = ClosedLoop(DurationHistogram.Empty, 3000, () => 3 + (17 * random.NextDouble()), pace, random, share);

        // The share of the jobs that end before the window opens; below 0, it opens before the shortest job.
        var leftOut = (histogram.PollingWindow(share).From - 3) / 17;

        Assert.InRange(leftOut, share > 0 ? share * 0.4 : -0.01, (share * 1.2) + 0.002);
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
        // Nothing was seen after 12 s, so nothing says the density there is even: most of it goes where the others ended.
        var nearOthers = added - (after.Cdf(9.5) - (histogram.Cdf(9.5) * 200 / 201));
        Assert.InRange(nearOthers * 201, 0.7, 1.0);
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
    public void A_job_still_running_at_its_deadline_weighs_where_the_longer_jobs_end()
    {
        // Jobs of 3-20 s; one still ran at 15 s when its deadline passed: its weight goes over 15-20 s in proportion to
        // the jobs believed to end there, none of it below 15 s or past the longest job seen.
        var before = Evenly(1000, 3, 20);

        var after = before.Observe(15, double.PositiveInfinity, NoDecay);

        Assert.Equal(1001, after.Observations);
        Assert.Equal(before.Total + 1, after.Total, 6);
        // (Below the bin that holds 15 s: bins are 10% wide, and a bin's weight is spread evenly over it.)
        Assert.Equal(before.Cdf(13.5) * before.Total, after.Cdf(13.5) * after.Total, 6);
        var gained = (after.Cdf(17.5) * after.Total) - (before.Cdf(17.5) * before.Total);
        Assert.InRange(gained, 0.4, 0.6);
        Assert.Equal(after.Total, after.Cdf(22.5) * after.Total, 6);
    }

    [Fact]
    public void A_job_still_running_past_every_job_seen_counts_from_its_last_look()
    {
        var before = Evenly(100, 3, 20);

        var after = before.Observe(60, double.PositiveInfinity, NoDecay);

        // No belief beyond 60 s: the least it can have taken, in the bin of 60 s.
        Assert.Equal(before.Total, after.Cdf(59) * after.Total, 6);
        Assert.InRange(after.Quantile(0.999), 60, 66);
        Assert.Equal(1, DurationHistogram.Empty.Observe(4, double.PositiveInfinity, NoDecay).Total, 6);
        Assert.InRange(DurationHistogram.Empty.Observe(4, double.PositiveInfinity, NoDecay).Quantile(0.5), 3.6, 4.4);
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
        var histogram = Evenly(1000, 10, 20);

        // Running at 12 s: 8 s of jobs remain; a tenth of them end within 0.8 s.
        Assert.InRange(histogram.AgeWhenLikely(12, 0.1)!.Value, 12.7, 12.9);
        // Before any job can end, the first chance lies at the start of the durations.
        Assert.InRange(histogram.AgeWhenLikely(2, 0.01)!.Value, 9.7, 10.3);
        // Past every job seen: the estimate says nothing.
        Assert.Null(histogram.AgeWhenLikely(25, 0.1));
        Assert.InRange(histogram.LastOccupiedEdge(), 20, 22);
    }

    [Fact]
    public void The_polling_window_of_a_uniform_spread_leaves_out_its_start()
    {
        var histogram = Evenly(1000, 3, 20);

        var (from, to) = histogram.PollingWindow(0.03);

        // Leaving out the first 3% (3 to 3.5 s) saves half a second of looks at every job; the last 3% would save
        // a few hundredths (the time they run past 19.5 s).
        Assert.InRange(from, 3.45, 3.6);
        Assert.True(to >= 20, $"the window should close at the longest job, not {to}");
        Assert.Equal((0.0, 0.0), DurationHistogram.Empty.PollingWindow(0.03));
        Assert.Equal((from, to), histogram.PollingWindow(0.03));
    }

    [Fact]
    public void The_polling_window_of_a_long_tail_closes_before_the_tail_and_leaves_out_the_share_asked()
    {
        // Log-normal, median 6 s, sigma 1: 3% of the jobs run past 39 s, and some for minutes.
        var histogram = Evenly(2000, 0, 0, at => Math.Min(300, 6 * Math.Exp(Normal.InverseCdf(at))));

        Assert.Equal(1.96, Normal.InverseCdf(0.975), 2);
        var (from, to) = histogram.PollingWindow(0.03);
        var leftOut = histogram.Cdf(from) + (1 - histogram.Cdf(to));

        // The share asked, and the lowest 0.2% of the weight, which a window's start does not count as jobs.
        Assert.InRange(leftOut, 0.031, 0.033);
        Assert.True(to < 60, $"the window should close before the tail, not at {to}");
        Assert.True(histogram.RunningAfter(to) > histogram.RunningAfter(60), "jobs run on after the window closes");
        // What the window leaves out saves more looks than leaving out either end alone.
        Assert.True(from + histogram.RunningAfter(to) >= histogram.Quantile(0.03) + histogram.RunningAfter(histogram.Quantile(1)) - 1e-9);
        Assert.True(from + histogram.RunningAfter(to) >= histogram.Quantile(0) + histogram.RunningAfter(histogram.Quantile(0.97)) - 1e-9);
    }

    [Fact]
    public void Running_after_an_age_is_the_area_under_the_survival_curve()
    {
        var histogram = Evenly(1000, 10, 20);

        // Uniform 10-20 s: every job runs 10 s, then on average 5 s more; after 15 s a quarter of a job runs on per
        // job (half still run, for 2.5 s on average).
        Assert.InRange(histogram.RunningAfter(0), 14.8, 15.2);
        Assert.InRange(histogram.RunningAfter(15), 1.2, 1.3);
        Assert.Equal(0, histogram.RunningAfter(30), 9);
    }

    /// <summary>The standard normal's inverse CDF (Acklam's rational approximation, enough for test data).</summary>
    private static class Normal
    {
        private static readonly double[] A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239];
        private static readonly double[] B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771082, -13.28068155288572, 1];
        private static readonly double[] C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
        private static readonly double[] D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];

        public static double InverseCdf(double p)
        {
            const double Low = 0.02425;
            if (p < Low)
            {
                var q = Math.Sqrt(-2 * Math.Log(p));
                return Horner(C, q) / Horner(D, q);
            }

            if (p > 1 - Low)
            {
                return -InverseCdf(1 - p);
            }

            var r = p - 0.5;
            return Horner(A, r * r) * r / Horner(B, r * r);
        }

        private static double Horner(double[] coefficients, double x) => coefficients.Aggregate(0.0, (sum, c) => (sum * x) + c);
    }
}
