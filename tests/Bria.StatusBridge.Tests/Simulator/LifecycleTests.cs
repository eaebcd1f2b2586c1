using System.Net;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Unknown_id_answers_404_NOT_FOUND_without_request_id()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        var answer = await client.GetStatusAsync("never-created");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("""{"status":"NOT_FOUND"}""", answer.Body);
    }

    [Fact]
    public async Task Expired_job_answers_404_NOT_FOUND()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock, o => o.JobLifetime = TimeSpan.FromHours(1));
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"old","duration_ms":1000,"outcome":"completed"}""");

        clock.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromMinutes(59));
        var beforeLifetime = await client.GetStatusAsync("old");
        clock.Advance(TimeSpan.FromMinutes(1));
        var afterLifetime = await client.GetStatusAsync("old");

        Assert.Equal("COMPLETED", beforeLifetime.Json.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, afterLifetime.Status);
        Assert.Equal("""{"status":"NOT_FOUND"}""", afterLifetime.Body);
    }

    [Fact]
    public async Task Expire_outcome_answers_404_once_its_duration_has_passed()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"gone","duration_ms":2000,"outcome":"expire"}""");

        var during = await client.GetStatusAsync("gone");
        clock.Advance(TimeSpan.FromSeconds(2));
        var after = await client.GetStatusAsync("gone");

        Assert.Equal("""{"request_id":"gone","status":"IN_PROGRESS"}""", during.Body);
        Assert.Equal(HttpStatusCode.NotFound, after.Status);
    }

    [Fact]
    public async Task Lifetime_can_be_scripted_per_job()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"short","duration_ms":0,"outcome":"completed","lifetime_ms":10000}""");

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetStatusAsync("short")).Status);
    }

    [Fact]
    public async Task Terminal_body_is_identical_on_every_read()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"same","duration_ms":0,"outcome":"completed","extra_fields":{"mask_url":"m"}}""");

        var first = await client.GetStatusAsync("same");
        clock.Advance(TimeSpan.FromMinutes(5));
        var second = await client.GetStatusAsync("same");
        var third = await client.GetStatusAsync("same");

        Assert.Equal("COMPLETED", first.Json.GetProperty("status").GetString());
        Assert.Equal(first.Bytes, second.Bytes);
        Assert.Equal(first.Bytes, third.Bytes);
    }

    [Fact]
    public async Task States_move_forward_only_even_when_the_clock_goes_back()
    {
        var clock = new ManualClock(SimulatorKit.Start);
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"fwd","duration_ms":1000,"outcome":"unknown_then_completed","unknown_reads":1}""");

        var states = new List<string>();
        async Task ReadAsync() => states.Add((await client.GetStatusAsync("fwd")).Json.GetProperty("status").GetString()!);
        await ReadAsync();
        clock.Now += TimeSpan.FromSeconds(1);
        await ReadAsync();
        await ReadAsync();
        clock.Now -= TimeSpan.FromSeconds(1);
        await ReadAsync();

        Assert.Equal(["IN_PROGRESS", "UNKNOWN", "COMPLETED", "COMPLETED"], states);
    }
}
