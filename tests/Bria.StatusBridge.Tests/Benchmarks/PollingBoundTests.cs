using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Benchmarks.Scenarios;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator;

namespace Bria.StatusBridge.Tests.Benchmarks;

public sealed class PollingBoundTests
{
    private const double Tolerance = 1e-3;

    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(95, 94)]
    [InlineData(50, 49)]
    public void One_call_per_job_is_a_single_poll_at_the_longest_duration(double percentile, double expected)
    {
        // Durations 1..100 s: the only schedule of one call per job polls at 100 s, so lags are 0..99 s.
        Assert.Equal(expected, PollingBound.Lag([OneToHundred], 1, percentile), Tolerance);
    }

    [Fact]
    public void Equal_durations_are_caught_without_lag_at_one_call()
    {
        Assert.Equal(0, PollingBound.Lag([[7.5, 7.5, 7.5, 7.5]], 1, 95), Tolerance);
    }

    [Fact]
    public void A_poll_at_every_duration_has_no_lag()
    {
        // Polls at 1, 2, ..., 100: the job of duration d makes d calls, 50.5 on average. One call less for 99 jobs:
        // skip the poll at 1 s, and the 1-s job waits 1 s.
        Assert.Equal(0, PollingBound.Lag([OneToHundred], 50.5, 100), Tolerance);
        Assert.Equal(1, PollingBound.Lag([OneToHundred], 50, 100), Tolerance);
    }

    [Fact]
    public void Fewer_than_one_call_per_job_is_impossible()
    {
        Assert.True(double.IsNaN(PollingBound.Lag([OneToHundred], 0.9, 95)));
    }

    [Fact]
    public void Evenly_spaced_polls_bound_the_maximum_lag_of_uniform_durations()
    {
        // Durations 1..100: polls every k s (at k, 2k, ..., 100) cost sum over polls of the jobs still running, and no
        // cheaper schedule keeps every lag below k (each gap longer than k leaves a job later than k). k = 10: ten polls,
        // the i-th (from 0) made by the 100 - 10i jobs longer than 10i: 550 calls for 100 jobs.
        Assert.Equal(9, PollingBound.Lag([OneToHundred], 5.5, 100), Tolerance);
    }

    [Fact]
    public void The_bound_falls_as_calls_rise()
    {
        var durations = LogNormal(400, seed: 3);
        var previous = double.PositiveInfinity;
        foreach (var calls in new[] { 1.0, 1.5, 2, 3, 5, 8 })
        {
            var lag = PollingBound.Lag([durations], calls, 95);
            Assert.True(lag <= previous + Tolerance, $"{lag} at {calls} calls/job after {previous}");
            previous = lag;
        }

        Assert.True(previous < PollingBound.Lag([durations], 1, 95));
    }

    [Fact]
    public void Two_kinds_with_the_same_durations_read_as_one()
    {
        var durations = LogNormal(120, seed: 5);
        var single = PollingBound.Lag([durations], 2.5, 95);
        var split = PollingBound.Lag([durations.Where((_, i) => i % 2 == 0).ToArray(), durations.Where((_, i) => i % 2 == 1).ToArray()], 2.5, 95);

        // Not equal in general (each half has its own atoms), but a kind split of one population can only help.
        Assert.True(split <= single + Tolerance, $"{split} > {single}");
    }

    [Theory]
    [InlineData(1, 1.4, 95)]
    [InlineData(2, 2.0, 95)]
    [InlineData(3, 2.7, 80)]
    [InlineData(4, 1.9, 50)]
    [InlineData(5, 3.3, 90)]
    public void The_bound_matches_a_brute_force_search_over_every_schedule_and_every_mix_of_two(int seed, double calls, double percentile)
    {
        var random = new Random(seed);
        var durations = Enumerable.Range(0, 8).Select(_ => Math.Round(1 + (random.NextDouble() * 20), 2)).ToArray();

        Assert.Equal(BruteForce(durations, calls, percentile), PollingBound.Lag([durations], calls, percentile), Tolerance);
    }

    [Fact]
    public void A_workload_is_bounded_on_its_distribution_and_more_atoms_no_longer_move_the_bound()
    {
        var workload = new LagWorkload("uniform", "images 3-20 s", [(JobKind.Image, 1, new JobKindProfile { MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(20) })]);

        // One call per job: one poll at 20 s, so p95 = 0.95 x 17 s of the uniform spread.
        Assert.Equal(16.15, PollingBound.Lag(PollingBoundResult.Quantiles(workload, 1000), 1, 95), 0.02);

        var coarse = PollingBound.Lag(PollingBoundResult.Quantiles(workload, 250), 3.9, 95);
        var fine = PollingBound.Lag(PollingBoundResult.Quantiles(workload, 1000), 3.9, 95);
        Assert.Equal(fine, coarse, fine * 0.03);
    }

    [Fact]
    public void A_mixed_workload_gives_every_kind_its_own_atoms_weighted_by_its_share_so_a_long_kind_is_not_bounded_too_low()
    {
        var images = new JobKindProfile { MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(20) };
        var videos = new JobKindProfile { MinDuration = TimeSpan.FromSeconds(40), MaxDuration = TimeSpan.FromSeconds(180) };
        var workload = new LagWorkload("mix", "70/30", [(JobKind.Image, 0.7, images), (JobKind.Video, 0.3, videos)]);

        var atoms = PollingBoundResult.Quantiles(workload, 1000);

        Assert.Equal([1000, 1000], atoms.Select(a => a.Count));
        Assert.InRange(atoms[1].Min(), 40, 40.1);
        Assert.InRange(atoms[1].Max(), 179.9, 180);
        Assert.Equal([0.7, 0.3], PollingBoundResult.Shares(workload));

        // 1,000 and 2,000 atoms per kind agree; atoms in proportion to the shares (300 videos, 0.47 s apart) bound lower,
        // because a poll at an atom catches that atom's whole mass at no lag.
        var fine = PollingBound.Lag(atoms, 18, 95, PollingBoundResult.Shares(workload));
        var finer = PollingBound.Lag(PollingBoundResult.Quantiles(workload, 2000), 18, 95, PollingBoundResult.Shares(workload));
        var byCount = PollingBound.Lag([.. PollingBoundResult.Quantiles(workload, 700).Take(1), .. PollingBoundResult.Quantiles(workload, 300).Skip(1)], 18, 95);
        Assert.Equal(finer, fine, finer * 0.03);
        Assert.True(byCount < fine * 0.9, $"300 video atoms should bound well below {fine:0.000} s, not {byCount:0.000} s");
    }

    /// <summary>Every schedule (a subset of the durations ending at the longest) and every mix of two: the smallest lag
    /// target that some mix keeps for the percentile within the calls.</summary>
    private static double BruteForce(double[] durations, double callsPerJob, double percentile)
    {
        var times = durations.Distinct().Order().ToArray();
        var schedules = new List<double[]>();
        for (var mask = 0; mask < 1 << (times.Length - 1); mask++)
        {
            schedules.Add([.. times.Where((_, i) => i == times.Length - 1 || (mask & (1 << i)) != 0)]);
        }

        var lagsBySchedule = schedules.Select(polls => durations.Select(d => polls.First(t => t >= d) - d).ToArray()).ToList();
        var calls = schedules.Select(polls => durations.Average(d => polls.Count(t => t < d) + 1.0)).ToList();
        var targets = lagsBySchedule.SelectMany(l => l).Distinct().Order();
        var need = percentile / 100;
        foreach (var target in targets)
        {
            var covered = lagsBySchedule.Select(l => l.Count(x => x <= target + 1e-12) / (double)l.Length).ToList();
            for (var a = 0; a < schedules.Count; a++)
            {
                if (calls[a] <= callsPerJob + 1e-9 && covered[a] >= need - 1e-12)
                {
                    return target;
                }

                for (var b = 0; b < schedules.Count; b++)
                {
                    if (calls[a] < callsPerJob && calls[b] > callsPerJob)
                    {
                        var share = (calls[b] - callsPerJob) / (calls[b] - calls[a]);
                        if ((share * covered[a]) + ((1 - share) * covered[b]) >= need - 1e-12)
                        {
                            return target;
                        }
                    }
                }
            }
        }

        throw new InvalidOperationException("no target found");
    }

    private static double[] LogNormal(int count, int seed)
    {
        var profile = new JobKindProfile
        {
            Shape = DurationShape.LogNormal,
            MinDuration = TimeSpan.FromSeconds(1),
            MaxDuration = TimeSpan.FromSeconds(120),
            Median = TimeSpan.FromSeconds(6),
            Sigma = 1,
        };
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Math.Round(profile.Draw(random.NextDouble()).TotalSeconds, 3))];
    }
}
