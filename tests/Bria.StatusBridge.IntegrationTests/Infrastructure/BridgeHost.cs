using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Simulator;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A real bridge, in this process, on a loopback port, configured by the test.</summary>
public sealed class BridgeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BridgeHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public IBus Bus => _app.Services.GetRequiredService<IBus>();

    /// <summary><see cref="FastSettings"/> on the real servers: the store is the PostgreSQL database
    /// <paramref name="database"/> and the bus the RabbitMQ virtual host <paramref name="virtualHost"/> (each test owns both).</summary>
    public static Dictionary<string, string?> ServerSettings(SimulatorHost simulator, string database, Uri virtualHost)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        var settings = FastSettings(simulator.BaseUrl, simulator.ApiToken);
        settings["Persistence:Provider"] = "Postgres";
        settings["ConnectionStrings:StatusBridge"] = database;
        settings["Bus:Transport"] = "RabbitMq";
        settings["ConnectionStrings:RabbitMq"] = virtualHost?.ToString();
        return settings;
    }

    /// <summary>Fast poll settings against <paramref name="simulatorUrl"/>; the caller adds store and bus settings.</summary>
    public static Dictionary<string, string?> FastSettings(Uri simulatorUrl, string apiToken) => new()
    {
        ["Bria:BaseUrl"] = simulatorUrl.ToString(),
        ["Bria:ApiToken"] = apiToken,
        ["Bria:RequestTimeout"] = "00:00:05",
        ["Polling:RequestsPerMinute"] = "6000",
        ["Polling:MaxConcurrency"] = "64",
        ["Polling:MaxIdleDelay"] = "00:00:00.200",
        ["Polling:NotFoundGrace"] = "00:00:00.500",
        ["Polling:TransientBackoff"] = "00:00:00.100",
        ["Polling:TransientBackoffCeiling"] = "00:00:00.500",
        ["Polling:ThrottlePause"] = "00:00:00.500",
        ["Polling:LeaseDuration"] = "00:00:05",
        ["Notifications:MaxIdleDelay"] = "00:00:00.200",
        ["Notifications:RetryDelay"] = "00:00:00.100",
        ["Notifications:LeaseDuration"] = "00:00:05",
        // The fixed schedules these tests are timed by (and PollingAudit checks); learned schedules have their own tests.
        ["Polling:Image:Mode"] = "Fixed",
        ["Polling:Video:Mode"] = "Fixed",
        ["Polling:StructuredPrompt:Mode"] = "Fixed",
        ["Polling:Image:FirstDelay"] = "00:00:00.200",
        ["Polling:Image:Interval"] = "00:00:00.200",
        ["Polling:Image:Growth"] = "1.5",
        ["Polling:Image:Ceiling"] = "00:00:01",
        ["Polling:Image:Jitter"] = "0.1",
        ["Polling:Video:FirstDelay"] = "00:00:00.300",
        ["Polling:Video:Interval"] = "00:00:00.300",
        ["Polling:Video:Ceiling"] = "00:00:01",
        ["Polling:StructuredPrompt:FirstDelay"] = "00:00:00.200",
        ["Polling:StructuredPrompt:Interval"] = "00:00:00.200",
        ["Polling:StructuredPrompt:Ceiling"] = "00:00:01",
    };

    public static Task<BridgeHost> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken = default) =>
        StartAsync(settings, null, cancellationToken);

    /// <summary>Starts a bridge; <paramref name="configure"/> adds to its builder (after the settings, before the bridge's services).</summary>
    public static async Task<BridgeHost> StartAsync(
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure,
        CancellationToken cancellationToken = default)
    {
        var app = BridgeApplication.Create(
            ["--urls", "http://127.0.0.1:0", "--environment", "Testing"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                configure?.Invoke(builder);
            });
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        return new BridgeHost(app, new Uri(address));
    }

    /// <summary>Stops the bridge (its loops, bus and API) and keeps the process's logging alive: MassTransit's log
    /// context outlives one host, so a test that starts a bridge after another one stopped stops, not disposes, the first.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
