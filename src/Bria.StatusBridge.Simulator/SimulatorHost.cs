using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Simulator;

/// <summary>Runs the simulator in-process on a real loopback port, so other processes can poll it too. This is how
/// tests start one, so it asks for equal runs: <see cref="TestSeed"/> unless the test sets another seed (or none).</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    /// <summary>The seed an in-process simulator draws with unless the caller sets <see cref="SimulatorOptions.RandomSeed"/>.</summary>
    public const int TestSeed = 42;

    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        ApiToken = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value.ApiToken;
        State = app.Services.GetRequiredService<SimulatorState>();
    }

    /// <summary>Where the simulator listens, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The <c>api_token</c> the Bria endpoints accept.</summary>
    public string ApiToken { get; }

    /// <summary>The simulator's jobs, faults and statistics, for scripting and assertions.</summary>
    public SimulatorState State { get; }

    /// <summary>The application's services (for example the <see cref="TimeProvider"/>).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a simulator on a free port of 127.0.0.1.</summary>
    public static Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null, CancellationToken ct = default) =>
        StartAsync([], configure, ct);

    /// <summary>Starts a simulator on a free port of 127.0.0.1 with more command-line arguments, for example
    /// <c>--Logging:LogLevel:Default=Warning</c> to keep its start-up lines out of a host's output.</summary>
    public static async Task<SimulatorHost> StartAsync(IReadOnlyList<string> args, Action<SimulatorOptions>? configure = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var app = SimulatorApplication.Create(["--urls", "http://127.0.0.1:0", .. args], options =>
        {
            options.RandomSeed = TestSeed;
            configure?.Invoke(options);
        });
        try
        {
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new SimulatorHost(app, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client for <see cref="BaseUrl"/>, sending the <c>api_token</c> header unless told not to.</summary>
    public HttpClient CreateClient(bool withToken = true)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        if (withToken)
        {
            client.DefaultRequestHeaders.Add("api_token", ApiToken);
        }

        return client;
    }

    /// <summary>Stops the server and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
