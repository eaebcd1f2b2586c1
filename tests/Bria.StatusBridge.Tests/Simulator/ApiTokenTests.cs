using System.Net;
using Bria.StatusBridge.Simulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Simulator;

public sealed class ApiTokenTests
{
    [Fact]
    public async Task Missing_token_is_rejected_with_401_and_the_error_envelope()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient(withToken: false);

        var status = await client.GetStatusAsync("any");
        var submit = await client.PostJsonAsync("v2/image/generate", "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, status.Status);
        Assert.Equal("""{"error":{"code":401,"message":"Unauthorized","details":"missing api_token header"}}""", status.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, submit.Status);
        Assert.Equal(2, sim.State.GetStats().Unauthorized);
        Assert.Equal(0, sim.State.GetStats().TotalStatusCalls);
    }

    [Fact]
    public async Task Wrong_token_is_rejected_with_403_and_the_error_envelope()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock());
        using var client = sim.CreateClient(withToken: false);
        client.DefaultRequestHeaders.Add("api_token", "not-the-token");

        var answer = await client.GetStatusAsync("any");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(403, answer.Json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("invalid api_token", answer.Json.GetProperty("error").GetProperty("details").GetString());
    }

    [Fact]
    public async Task Configured_token_is_the_one_accepted()
    {
        await using var sim = await SimulatorKit.StartAsync(SimulatorKit.NewClock(), o => o.ApiToken = "secret-1");
        using var client = sim.CreateClient();

        var answer = await client.GetStatusAsync("unknown");

        Assert.Equal("secret-1", sim.ApiToken);
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
    }

    [Fact]
    public async Task Token_is_read_from_the_Simulator_ApiToken_configuration_key()
    {
        await using var app = SimulatorApplication.Create(["--Simulator:ApiToken=from-config"]);

        var options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;

        Assert.Equal("from-config", options.ApiToken);
    }
}
