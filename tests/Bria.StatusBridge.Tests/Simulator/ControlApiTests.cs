using System.Net;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class ControlApiTests
{
    [Fact]
    public async Task Creating_a_job_answers_201_with_its_status_url_and_finish_time()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient(withToken: false);

        var answer = await client.PostJsonAsync("simulator/jobs", """{"request_id":"j1","endpoint_kind":"video","duration_ms":90000,"outcome":"error"}""");

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Assert.Equal("j1", answer.Json.GetProperty("request_id").GetString());
        Assert.Equal(new Uri(sim.BaseUrl, "v2/status/j1").ToString(), answer.Json.GetProperty("status_url").GetString());
        Assert.Equal(SimulatorKit.Start.AddSeconds(90), answer.Json.GetProperty("finishes_at").GetDateTimeOffset());
        Assert.True(sim.State.TryGetJob("j1", out var job));
        Assert.Equal(JobOutcome.Error, job!.Outcome);
        Assert.Equal(JobKind.Video, job.EndpointKind);
    }

    [Fact]
    public async Task Batch_creates_a_thousand_jobs_in_one_call()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient(withToken: false);

        var answer = await client.PostJsonAsync("simulator/jobs/batch", """{"count":1000,"template":{"request_id":"bulk","duration_ms":5000}}""");

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Assert.Equal(1000, answer.Json.GetProperty("jobs").GetArrayLength());
        Assert.Equal(1000, sim.State.JobCount);
        Assert.True(sim.State.TryGetJob("bulk-999", out _));
    }

    [Fact]
    public async Task Batch_accepts_a_list_of_different_jobs()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient(withToken: false);

        var answer = await client.PostJsonAsync("simulator/jobs/batch", """[{"request_id":"a","outcome":"completed"},{"request_id":"b","endpoint_kind":"structured_prompt","outcome":"unknown"}]""");

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Assert.True(sim.State.TryGetJob("b", out var b));
        Assert.Equal(JobOutcome.Unknown, b!.Outcome);
        Assert.Equal(2, sim.State.JobCount);
    }

    [Fact]
    public async Task A_taken_request_id_is_refused_with_409()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient(withToken: false);
        await client.CreateJobAsync("""{"request_id":"dup"}""");

        var single = await client.PostJsonAsync("simulator/jobs", """{"request_id":"dup"}""");
        var batch = await client.PostJsonAsync("simulator/jobs/batch", """[{"request_id":"new"},{"request_id":"dup"}]""");

        Assert.Equal(HttpStatusCode.Conflict, single.Status);
        Assert.Equal(HttpStatusCode.Conflict, batch.Status);
        Assert.Equal(1, sim.State.JobCount);
    }

    [Theory]
    [InlineData("""{"request_id":"t","outcom":"error"}""")]
    [InlineData("""{"outcome":"exploded"}""")]
    [InlineData("""{"duration_ms":-1}""")]
    [InlineData("not json")]
    public async Task An_invalid_job_is_refused_with_400(string body)
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient(withToken: false);

        var answer = await client.PostJsonAsync("simulator/jobs", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(0, sim.State.JobCount);
    }

    [Fact]
    public async Task Deleting_jobs_makes_their_ids_answer_404()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"del","duration_ms":0}""");

        using var deleted = await client.DeleteAsync(new Uri("simulator/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetStatusAsync("del")).Status);
    }
}
