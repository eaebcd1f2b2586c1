namespace Bria.StatusBridge.Tests.Simulator;

public sealed class CallerStatsTests
{
    [Fact]
    public async Task Stats_record_the_user_agent_of_every_status_call()
    {
        var clock = SimulatorKit.NewClock();
        await using var sim = await SimulatorKit.StartAsync(clock);
        using var first = sim.CreateClient();
        first.DefaultRequestHeaders.UserAgent.ParseAdd("Poller/1.0 (a)");
        using var second = sim.CreateClient();
        second.DefaultRequestHeaders.UserAgent.ParseAdd("Poller/1.0 (b)");
        using var anonymous = sim.CreateClient();
        await first.CreateJobAsync("""{"request_id":"u1","duration_ms":2000,"outcome":"completed"}""");

        await first.GetStatusAsync("u1");
        await second.GetStatusAsync("u1");
        await first.GetStatusAsync("u1");
        await anonymous.GetStatusAsync("u1");

        var stats = sim.State.GetStats();
        Assert.Equal(["Poller/1.0 (a)", "Poller/1.0 (b)", "Poller/1.0 (a)", null], stats.Requests["u1"].Callers);
        Assert.Equal(2, stats.Callers["Poller/1.0 (a)"]);
        Assert.Equal(1, stats.Callers["Poller/1.0 (b)"]);
        Assert.Equal(1, stats.Callers[""]);
    }
}
