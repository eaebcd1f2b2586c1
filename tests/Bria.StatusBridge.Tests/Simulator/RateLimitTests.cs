using System.Net;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class RateLimitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Budget_exceeded_answers_429_with_and_without_Retry_After(bool retryAfter)
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"rl","duration_ms":0}""");
        await client.PutJsonAsync("simulator/faults", $$"""{"requests_per_minute":3,"rate_limit_retry_after":{{(retryAfter ? "true" : "false")}}}""");

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetStatusAsync("rl")).Status);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        var limited = await client.GetStatusAsync("rl");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(429, limited.Json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(retryAfter, limited.HasRetryAfter);
        if (retryAfter)
        {
            // The oldest call (t=0) leaves the window at t=60; it is now t=30.
            Assert.Equal(TimeSpan.FromSeconds(30), limited.RetryAfter);
        }

        Assert.Equal(1, sim.State.GetStats().RateLimited);
    }

    [Fact]
    public async Task Budget_window_slides_so_calls_pass_again_once_old_ones_leave_it()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock, o => o.RequestsPerMinute = 2);
        using var client = sim.CreateClient();
        await client.CreateJobAsync("""{"request_id":"w","duration_ms":0}""");

        await client.GetStatusAsync("w");
        clock.Advance(TimeSpan.FromSeconds(30));
        await client.GetStatusAsync("w");
        var third = await client.GetStatusAsync("w");
        clock.Advance(TimeSpan.FromSeconds(30));
        var afterFirstLeft = await client.GetStatusAsync("w");
        var overAgain = await client.GetStatusAsync("w");

        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal(HttpStatusCode.OK, afterFirstLeft.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, overAgain.Status);
    }

    [Fact]
    public async Task Budget_does_not_apply_without_a_configured_limit()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient();

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetStatusAsync("free")).Status);
        }

        Assert.Equal(0, sim.State.GetStats().RateLimited);
    }
}
