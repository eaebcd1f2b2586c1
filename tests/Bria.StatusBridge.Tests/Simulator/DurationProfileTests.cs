using Bria.StatusBridge.Simulator;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class DurationProfileTests
{
    private static readonly JobKindProfile LongTail = new()
    {
        Shape = DurationShape.LogNormal,
        Median = TimeSpan.FromSeconds(6),
        Sigma = 1,
        MinDuration = TimeSpan.FromSeconds(0.5),
        MaxDuration = TimeSpan.FromSeconds(300),
    };

    [Fact]
    public void Uniform_profile_draws_linearly_between_its_bounds()
    {
        var profile = new JobKindProfile { MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(20) };

        Assert.Equal(TimeSpan.FromSeconds(3), profile.Draw(0));
        Assert.Equal(TimeSpan.FromSeconds(11.5), profile.Draw(0.5));
        Assert.Equal(11.5, profile.Mean().TotalSeconds, 3);
    }

    [Theory]
    [InlineData(0.5, 6.0)]
    [InlineData(0.8413447, 16.30969)]   // one sigma up: 6 e
    [InlineData(0.1586553, 2.207277)]   // one sigma down: 6 / e
    [InlineData(0.9893489, 60.0)]       // ln 10 sigmas up: ten times the median, about 1.07% of jobs beyond
    public void Log_normal_profile_draws_the_median_times_e_to_the_sigma_quantile(double quantile, double seconds)
    {
        Assert.Equal(seconds, LongTail.Draw(quantile).TotalSeconds, 2);
    }

    [Fact]
    public void Log_normal_profile_is_clamped_to_its_bounds_and_has_the_log_normal_mean()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), LongTail.Draw(0));
        Assert.Equal(TimeSpan.FromSeconds(0.5), LongTail.Draw(1e-9));
        Assert.Equal(TimeSpan.FromSeconds(300), LongTail.Draw(1 - 1e-9));

        // median x e^(sigma^2 / 2) = 9.89 s unclamped; the clamps move it a little.
        Assert.Equal(9.89, LongTail.Mean().TotalSeconds, 0.1);
    }

    [Fact]
    public async Task A_log_normal_profile_without_sigma_stops_the_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SimulatorHost.StartAsync(o =>
            o.Video = new JobKindProfile { Shape = DurationShape.LogNormal, Median = TimeSpan.FromSeconds(60), MaxDuration = TimeSpan.FromMinutes(5) }));

        Assert.Contains("Simulator:Video", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sigma", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitted_jobs_draw_their_durations_from_a_log_normal_profile()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock, o => o.Image = LongTail);
        using var client = sim.CreateClient();

        var durations = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var id = (await client.PostJsonAsync("v2/image/generate", "{}")).Json.GetProperty("request_id").GetString()!;
            Assert.True(sim.State.TryGetJob(id, out var job));
            durations.Add((job!.FinishesAt - job.CreatedAt).TotalSeconds);
        }

        durations.Sort();
        Assert.InRange(durations[100], 4.5, 8);
        Assert.True(durations[^1] > 20, "a long tail");
        Assert.All(durations, d => Assert.InRange(d, 0.5, 300));
    }
}
