using System.Diagnostics;
using System.Net;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class FaultTests
{
    [Theory]
    [InlineData(502, false)]
    [InlineData(503, true)]
    [InlineData(504, false)]
    [InlineData(504, true)]
    public async Task Outage_answers_5xx_with_the_error_envelope_and_request_id_on_demand(int code, bool includeRequestId)
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"o1","duration_ms":0,"outcome":"completed"}""");
        var put = await client.PutJsonAsync("simulator/faults", $$"""{"status_code":{{code}},"rate":1.0,"include_request_id":{{(includeRequestId ? "true" : "false")}}}""");

        var answer = await client.GetStatusAsync("o1");

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(code, (int)answer.Status);
        Assert.Equal(code, answer.Json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("status service temporarily down", answer.Json.GetProperty("error").GetProperty("details").GetString());
        Assert.Equal(includeRequestId, answer.Json.TryGetProperty("request_id", out var id));
        if (includeRequestId)
        {
            Assert.Equal("o1", id.GetString());
        }
    }

    [Fact]
    public async Task Outage_body_matches_Bria_503_envelope_exactly()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/faults", """{"status_code":503,"include_request_id":true,"retry_after_seconds":7}""");

        var answer = await client.GetStatusAsync("r9");

        Assert.Equal("""{"error":{"code":503,"message":"Service Unavailable","details":"status service temporarily down"},"request_id":"r9"}""", answer.Body);
        Assert.Equal(TimeSpan.FromSeconds(7), answer.RetryAfter);
    }

    [Fact]
    public async Task Fault_count_fails_only_that_many_calls_then_the_job_answers()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"c1","duration_ms":0,"outcome":"completed"}""");
        await client.PutJsonAsync("simulator/faults", """{"status_code":502,"count":2}""");

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((int)(await client.GetStatusAsync("c1")).Status);
        }

        Assert.Equal([502, 502, 200], codes);
        Assert.Equal(2, sim.State.GetStats().ServerErrors);
    }

    [Fact]
    public async Task Faults_limited_to_request_ids_leave_other_ids_alone()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"bad","duration_ms":0}""");
        await client.CreateJobAsync("""{"request_id":"good","duration_ms":0}""");
        await client.PutJsonAsync("simulator/faults", """{"status_code":504,"request_ids":["bad"]}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, (await client.GetStatusAsync("bad")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetStatusAsync("good")).Status);
    }

    [Fact]
    public async Task Fault_rate_fails_about_that_share_of_calls()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"half","duration_ms":0}""");
        await client.PutJsonAsync("simulator/faults", """{"status_code":503,"rate":0.5}""");

        var failed = 0;
        for (var i = 0; i < 200; i++)
        {
            failed += (await client.GetStatusAsync("half")).Status == HttpStatusCode.ServiceUnavailable ? 1 : 0;
        }

        Assert.InRange(failed, 60, 140);
    }

    [Fact]
    public async Task Deleting_faults_restores_normal_answers()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"d1","duration_ms":0}""");
        await client.PutJsonAsync("simulator/faults", """{"status_code":503}""");

        using var deleted = await client.DeleteAsync(new Uri("simulator/faults", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(sim.State.Faults.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetStatusAsync("d1")).Status);
    }

    [Fact]
    public async Task Invalid_fault_settings_are_refused_with_400()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        var wrongCode = await client.PutJsonAsync("simulator/faults", """{"status_code":404}""");
        var wrongRate = await client.PutJsonAsync("simulator/faults", """{"status_code":503,"rate":2}""");

        Assert.Equal(HttpStatusCode.BadRequest, wrongCode.Status);
        Assert.Equal(HttpStatusCode.BadRequest, wrongRate.Status);
        Assert.Null(sim.State.Faults.StatusCode);
    }

    [Fact]
    public async Task Latency_delays_every_status_answer()
    {
        // Real clock on purpose: the delay is a real wait on the server, measured from outside.
        await using var sim = await SimulatorKit.StartAsync(TimeProvider.System);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"slow","duration_ms":0}""");
        await client.PutJsonAsync("simulator/faults", """{"latency_ms":300}""");

        var watch = Stopwatch.StartNew();
        var answer = await client.GetStatusAsync("slow");
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
    }
}
