using System.Globalization;
using Bria.StatusBridge.Api;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Starts a real bridge in this process, as <see cref="BridgeApplication"/> builds it, with the store and
/// the Bria client wrapped in counters.</summary>
internal static class BridgeLauncher
{
    /// <summary>Starts the bridge; <paramref name="api"/> maps its HTTP API too (Bria's webhooks arrive there).</summary>
    public static async Task<WebApplication> StartAsync(IDictionary<string, string?> settings, StageCounters? counters, CancellationToken cancellationToken, bool api = false)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--environment", "Benchmark"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBridge();
        if (api)
        {
            builder.AddBridgeApi();
        }

        if (counters is not null)
        {
            builder.Services.AddSingleton(counters);
            builder.Services.AddSingleton<TrackingStore>();
            builder.Services.Replace(ServiceDescriptor.Singleton<ITrackingStore>(sp =>
                new CountingTrackingStore(sp.GetRequiredService<TrackingStore>(), counters)));
            builder.Services.AddTransient<BriaStatusClient>();
            builder.Services.Replace(ServiceDescriptor.Transient<IBriaStatusClient>(sp =>
                new CountingStatusClient(sp.GetRequiredService<BriaStatusClient>(), counters)));
        }

        var app = builder.Build();
        app.MapGet("/healthz", () => TypedResults.Ok("alive"));
        if (api)
        {
            app.MapBridgeApi();
        }

        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>The settings every scenario starts from: the simulator as Bria, the store, the in-memory bus.</summary>
    public static Dictionary<string, string?> Base(Uri simulator, string token, string provider, string connectionString) => new()
    {
        ["Bria:BaseUrl"] = simulator.ToString(),
        ["Bria:ApiToken"] = token,
        ["Persistence:Provider"] = provider,
        ["ConnectionStrings:StatusBridge"] = connectionString,
        ["Bus:Transport"] = "InMemory",
    };

    public static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public static string SqliteConnectionString(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"statusbridge-bench-{name}-{Guid.NewGuid():N}.db");
        return $"Data Source={path}";
    }

    /// <summary>Stops a bridge started by <see cref="StartAsync"/> and removes its store: the PostgreSQL database or
    /// the SQLite file.</summary>
    public static async Task StopAsync(WebApplication app, string provider, string connectionString)
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        if (provider == "Postgres")
        {
            await BenchServers.DropDatabaseAsync(connectionString);
        }
        else
        {
            DeleteSqlite(connectionString);
        }
    }

    public static void DeleteSqlite(string connectionString)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var path = connectionString["Data Source=".Length..];
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
