using System.Net;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class SubmitTests
{
    [Theory]
    [InlineData("v2/image/generate")]
    [InlineData("v2/image/edit")]
    [InlineData("v2/image/edit/remove_background")]
    [InlineData("v2/video/generate")]
    [InlineData("v2/video/edit/increase_resolution")]
    [InlineData("v2/structured_prompt/generate")]
    [InlineData("v2/structured_instruction/generate")]
    public async Task Async_submit_answers_202_with_request_id_and_a_status_url_on_the_request_host(string path)
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        var answer = await client.PostJsonAsync(path, """{"prompt":"red bicycle"}""");

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        var id = answer.Json.GetProperty("request_id").GetString()!;
        Assert.Equal(new Uri(sim.BaseUrl, $"v2/status/{id}").ToString(), answer.Json.GetProperty("status_url").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetStatusAsync(id)).Status);
    }

    [Fact]
    public async Task Sync_submit_answers_200_with_the_completed_body_inline()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        var answer = await client.PostJsonAsync("v2/image/generate", """{"prompt":"red bicycle","sync":true}""");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var id = answer.Json.GetProperty("request_id").GetString()!;
        Assert.Equal("COMPLETED", answer.Json.GetProperty("status").GetString());
        Assert.EndsWith($"/{id}.png", answer.Json.GetProperty("result").GetProperty("image_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("red bicycle", answer.Json.GetProperty("result").GetProperty("prompt").GetString());
        Assert.Equal(answer.Body, (await client.GetStatusAsync(id)).Body);
    }

    [Fact]
    public async Task Submitted_jobs_take_the_duration_of_their_kind_profile()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock, o =>
        {
            o.Image = new() { MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(3) };
            o.Video = new() { MinDuration = TimeSpan.FromMinutes(2), MaxDuration = TimeSpan.FromMinutes(4) };
        });
        using var client = sim.CreateClient();

        var image = (await client.PostJsonAsync("v2/image/generate", "{}")).Json.GetProperty("request_id").GetString()!;
        var video = (await client.PostJsonAsync("v2/video/generate", "{}")).Json.GetProperty("request_id").GetString()!;

        Assert.True(sim.State.TryGetJob(image, out var imageJob));
        Assert.True(sim.State.TryGetJob(video, out var videoJob));
        Assert.Equal(TimeSpan.FromSeconds(3), imageJob!.FinishesAt - imageJob.CreatedAt);
        Assert.InRange(videoJob!.FinishesAt - videoJob.CreatedAt, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4));
        Assert.Equal(JobKind.Video, videoJob.EndpointKind);

        clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Equal("IN_PROGRESS", (await client.GetStatusAsync(image)).Json.GetProperty("status").GetString());
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("COMPLETED", (await client.GetStatusAsync(image)).Json.GetProperty("status").GetString());
        Assert.Equal("IN_PROGRESS", (await client.GetStatusAsync(video)).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Failure_rates_decide_how_submitted_jobs_end()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock, o => o.ErrorRate = 1);
        using var client = sim.CreateClient();

        var id = (await client.PostJsonAsync("v2/image/generate", "{}")).Json.GetProperty("request_id").GetString()!;
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("ERROR", (await client.GetStatusAsync(id)).Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Equal_seeds_draw_equal_jobs()
    {
        static async Task<List<JobInfo>> DrawAsync(int seed)
        {
            var clock = SimulatorKit.NewClock();
            await using var sim = await SimulatorKit.StartAsync(clock, o =>
            {
                o.RandomSeed = seed;
                o.ErrorRate = 0.3;
                o.UnknownFinalRate = 0.3;
            });
            return Enumerable.Range(0, 20).Select(_ => sim.State.CreateJob(new JobSpec { EndpointKind = JobKind.Video })).ToList();
        }

        var first = await DrawAsync(7);
        var second = await DrawAsync(7);
        var other = await DrawAsync(8);

        Assert.Equal(first, second);
        Assert.NotEqual(first.Select(j => j.RequestId), other.Select(j => j.RequestId));
        Assert.Contains(first, j => j.Outcome != JobOutcome.Completed);
    }

    [Fact]
    public async Task Request_ids_are_unique_across_restarts_unless_a_test_sets_a_seed()
    {
        static async Task<string> FirstIdAsync(int? seed)
        {
            await using var sim = await SimulatorHost.StartAsync(o =>
            {
                o.TimeProvider = SimulatorKit.NewClock();
                o.RandomSeed = seed;
            });
            using var client = sim.CreateClient();
            return (await client.PostJsonAsync("v2/image/generate", "{}")).Json.GetProperty("request_id").GetString()!;
        }

        // A restarted simulator process (no seed by default) must not hand out an id a persistent bridge already tracked.
        Assert.Null(new SimulatorOptions().RandomSeed);
        Assert.NotEqual(await FirstIdAsync(null), await FirstIdAsync(null));
        Assert.Equal(await FirstIdAsync(7), await FirstIdAsync(7));
    }
}
