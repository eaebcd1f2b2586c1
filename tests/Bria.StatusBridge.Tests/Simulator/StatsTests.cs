using System.Net;
using System.Text.Json;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_record_every_status_call_per_request_id_with_its_time()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"s1","duration_ms":2000,"outcome":"completed"}""");

        await client.GetStatusAsync("s1");
        clock.Advance(TimeSpan.FromSeconds(3));
        await client.GetStatusAsync("s1");
        await client.GetStatusAsync("missing");

        var stats = sim.State.GetStats();
        var s1 = stats.Requests["s1"];
        Assert.Equal(3, stats.TotalStatusCalls);
        Assert.Equal(1, stats.NotFound);
        Assert.Equal(2, s1.Count);
        Assert.Equal([SimulatorKit.Start, SimulatorKit.Start.AddSeconds(3)], s1.CallTimes);
        Assert.Equal(SimulatorKit.Start, s1.FirstCallAt);
        Assert.Equal(SimulatorKit.Start.AddSeconds(3), s1.LastCallAt);
        Assert.Equal(SimulatorKit.Start.AddSeconds(3), s1.FirstTerminalReadAt);
        Assert.Equal(SimulatorKit.Start, s1.CreatedAt);
        Assert.Equal(SimulatorKit.Start.AddSeconds(2), s1.FinishesAt);
        Assert.Null(stats.Requests["missing"].CreatedAt);
    }

    [Fact]
    public async Task Max_calls_in_any_minute_uses_a_sliding_window()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();

        // 3 calls at t=0, 3 at t=30 s, 3 at t=61 s: the busiest 60 s hold 6 calls, never 9.
        foreach (var step in new[] { 0, 30, 31 })
        {
            clock.Advance(TimeSpan.FromSeconds(step));
            for (var i = 0; i < 3; i++)
            {
                await client.GetStatusAsync("w");
            }
        }

        Assert.Equal(9, sim.State.GetStats().TotalStatusCalls);
        Assert.Equal(6, sim.State.GetStats().MaxCallsInAnyMinute);
    }

    [Fact]
    public async Task Stats_count_429_and_5xx_answers()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.PutJsonAsync("simulator/faults", """{"status_code":503,"count":2,"requests_per_minute":3}""");

        for (var i = 0; i < 5; i++)
        {
            await client.GetStatusAsync("x");
        }

        var stats = sim.State.GetStats();
        Assert.Equal(5, stats.TotalStatusCalls);
        Assert.Equal(2, stats.ServerErrors);
        Assert.Equal(2, stats.RateLimited);
        Assert.Equal(1, stats.NotFound);
    }

    [Fact]
    public async Task Stats_endpoint_serves_snake_case_counts_and_reset_clears_them()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"k","duration_ms":0}""");
        await client.GetStatusAsync("k");

        var before = await client.GetFromJsonOrFailAsync<JsonElement>("simulator/stats");
        var summary = await client.GetFromJsonOrFailAsync<JsonElement>("simulator/stats?requests=false");
        using var reset = await client.DeleteAsync(new Uri("simulator/stats", UriKind.Relative));
        var after = sim.State.GetStats();

        Assert.Equal(1, before.GetProperty("total_status_calls").GetInt64());
        Assert.Equal(1, before.GetProperty("max_calls_in_any_minute").GetInt32());
        Assert.Equal(1, before.GetProperty("requests").GetProperty("k").GetProperty("count").GetInt32());
        Assert.Equal(1, before.GetProperty("requests").GetProperty("k").GetProperty("call_times").GetArrayLength());
        Assert.Empty(summary.GetProperty("requests").EnumerateObject());
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(0, after.TotalStatusCalls);
        Assert.Equal(0, after.MaxCallsInAnyMinute);
        Assert.Equal(0, after.Requests["k"].Count);
    }

    [Fact]
    public async Task Concurrent_polling_of_a_thousand_jobs_counts_every_call()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.PostJsonAsync("simulator/jobs/batch", """{"count":1000,"template":{"request_id":"c","duration_ms":1000,"outcome":"completed"}}""");
        clock.Advance(TimeSpan.FromSeconds(1));

        var ids = Enumerable.Range(0, 1000).Select(i => $"c-{i}").ToList();
        var answers = await Task.WhenAll(ids.Concat(ids).Select(id => client.GetStatusAsync(id)));

        var stats = sim.State.GetStats();
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(2000, stats.TotalStatusCalls);
        Assert.Equal(2000, stats.MaxCallsInAnyMinute);
        Assert.All(ids, id => Assert.Equal(2, stats.Requests[id].Count));
    }
}
