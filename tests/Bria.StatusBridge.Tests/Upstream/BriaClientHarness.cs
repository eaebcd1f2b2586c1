using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bria.StatusBridge.Tests.Upstream;

/// <summary>The real registration (<c>AddBriaStatusClient</c>) with only the network swapped for a stub.</summary>
internal sealed class BriaClientHarness : IDisposable
{
    public const string Token = "tok-7d41-do-not-log-9be2";
    public const string BaseUrl = "https://bria.test";

    private BriaClientHarness(ServiceProvider services, StubHttpMessageHandler? handler, CapturingLoggerProvider logs)
    {
        Services = services;
        Handler = handler;
        Logs = logs;
        Client = services.GetRequiredService<IBriaStatusClient>();
    }

    public ServiceProvider Services { get; }

    public StubHttpMessageHandler? Handler { get; }

    public CapturingLoggerProvider Logs { get; }

    public IBriaStatusClient Client { get; }

    /// <summary>A client whose requests end in <paramref name="respond"/>.</summary>
    public static BriaClientHarness Create(
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond,
        IDictionary<string, string?>? settings = null,
        TimeProvider? timeProvider = null)
    {
        var handler = new StubHttpMessageHandler(respond);
        var services = NewServices(settings, timeProvider, out var logs);
        // Registered after AddBriaStatusClient, so it replaces the SocketsHttpHandler and nothing else.
        services.AddHttpClient(BriaStatusClientServiceCollectionExtensions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        return new BriaClientHarness(services.BuildServiceProvider(validateScopes: true), handler, logs);
    }

    /// <summary>A client whose requests go out through the real SocketsHttpHandler.</summary>
    public static BriaClientHarness CreateWithRealNetwork(IDictionary<string, string?> settings)
    {
        var services = NewServices(settings, null, out var logs);
        return new BriaClientHarness(services.BuildServiceProvider(validateScopes: true), null, logs);
    }

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Always(
        Func<HttpResponseMessage> response) => (_, _) => Task.FromResult(response());

    public static ServiceCollection NewServices(
        IDictionary<string, string?>? settings, TimeProvider? timeProvider, out CapturingLoggerProvider logs)
    {
        var values = new Dictionary<string, string?>
        {
            ["Bria:BaseUrl"] = BaseUrl,
            ["Bria:ApiToken"] = Token,
        };
        // A null value removes the key, so a test can leave a setting to its default or leave it out.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var capture = new CapturingLoggerProvider();
        logs = capture;

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(capture));
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddBriaStatusClient(configuration);
        return services;
    }

    public void Dispose() => Services.Dispose();
}
