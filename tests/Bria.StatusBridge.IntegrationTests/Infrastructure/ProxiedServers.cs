using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Puts a <see cref="SwitchableTcpProxy"/> between a scenario's bridges and its PostgreSQL and RabbitMQ, so a
/// test can take either away from the bridge (an outage as the bridge sees it: connections cut, new ones closed at
/// once) and bring it back, while the shared servers run on for every other test. The test itself keeps direct
/// connections: it publishes, collects outcomes and reads the store past the proxies.</summary>
public sealed class ProxiedServers : IAsyncDisposable
{
    private ProxiedServers(SwitchableTcpProxy store, SwitchableTcpProxy broker, string directStore, Uri directBroker)
    {
        Store = store;
        Broker = broker;
        DirectStore = directStore;
        DirectBroker = directBroker;
    }

    /// <summary>The proxy in front of PostgreSQL.</summary>
    public SwitchableTcpProxy Store { get; }

    /// <summary>The proxy in front of RabbitMQ.</summary>
    public SwitchableTcpProxy Broker { get; }

    /// <summary>The store's connection string without the proxy.</summary>
    public string DirectStore { get; }

    /// <summary>The virtual host's amqp URI without the proxy.</summary>
    public Uri DirectBroker { get; }

    /// <summary>Rewrites <paramref name="scenario"/>'s settings (PostgreSQL store) so that bridges started from now on
    /// reach both servers through proxies.</summary>
    public static ProxiedServers Route(BridgeScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var directStore = scenario.ConnectionString;
        var postgres = new NpgsqlConnectionStringBuilder(directStore);
        var store = new SwitchableTcpProxy(postgres.Host!, postgres.Port);
        postgres.Host = "127.0.0.1";
        postgres.Port = store.Port;
        // A cut connection fails within seconds instead of the default 15/30.
        postgres.Timeout = 3;
        postgres.CommandTimeout = 10;
        scenario.Settings["ConnectionStrings:StatusBridge"] = postgres.ConnectionString;

        var directBroker = new Uri(scenario.Settings["ConnectionStrings:RabbitMq"]!);
        var broker = new SwitchableTcpProxy(directBroker.Host, directBroker.Port > 0 ? directBroker.Port : 5672);
        scenario.Settings["ConnectionStrings:RabbitMq"] = new UriBuilder(directBroker) { Host = "127.0.0.1", Port = broker.Port }.Uri.ToString();
        return new ProxiedServers(store, broker, directStore, directBroker);
    }

    /// <summary>A number read from the store past the proxy (works during a store outage).</summary>
    public Task<long> ScalarAsync(string sql) => StoreQueries.ScalarAsync("Postgres", DirectStore, sql);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
