using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.IntegrationTests.Api;

/// <summary>A bridge on a fresh PostgreSQL database and RabbitMQ virtual host, with the simulator as Bria, an
/// operator key, and loopback allow-listed for webhook URLs; plus clients for the operator and for partners.</summary>
public sealed class ApiBridge : IAsyncDisposable
{
    public const string AdminKey = "test-operator-key-0123456789abcdef";

    private readonly List<HttpClient> _clients = [];

    private ApiBridge(SimulatorHost simulator, BridgeHost bridge, string connectionString)
    {
        Simulator = simulator;
        Bridge = bridge;
        ConnectionString = connectionString;
        Admin = CreateClient(AdminKey);
    }

    public SimulatorHost Simulator { get; }

    public BridgeHost Bridge { get; }

    public string ConnectionString { get; }

    public HttpClient Admin { get; }

    /// <summary>Starts the simulator (<paramref name="simulatorOptions"/> adds to its options, for example a fake clock that
    /// decides when its jobs end) and the bridge (<paramref name="configure"/> adds to its settings).</summary>
    public static async Task<ApiBridge> StartAsync(
        RabbitMqFixture rabbit, PostgresFixture postgres, Action<IDictionary<string, string?>>? configure = null, Action<SimulatorOptions>? simulatorOptions = null)
    {
        var simulator = await SimulatorHost.StartAsync(simulatorOptions);
        var database = await postgres.CreateDatabaseAsync();
        var settings = BridgeHost.ServerSettings(simulator, database, await rabbit.CreateVirtualHostAsync());
        settings["Admin:ApiKey"] = AdminKey;
        settings["Admin:LastUsedResolution"] = "00:00:00";
        settings["Webhooks:AllowedSubnets:0"] = "127.0.0.1/32";
        settings["Webhooks:RequireHttps"] = "false";
        // One attempt per message: a refused connection fails a delivery at once, so tests see every state quickly.
        settings["Webhooks:RetrySchedule:0"] = "00:00:00";
        settings["Webhooks:MaxIdleDelay"] = "00:00:00.200";
        configure?.Invoke(settings);
        var bridge = await BridgeHost.StartAsync(settings);
        return new ApiBridge(simulator, bridge, database);
    }

    /// <summary>A client that sends <paramref name="key"/> as a bearer token (none when null).</summary>
    public HttpClient CreateClient(string? key, bool asApiKeyHeader = false)
    {
        var client = new HttpClient { BaseAddress = Bridge.BaseUrl };
        if (key is not null && asApiKeyHeader)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        else if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a partner and issues it a key; returns the partner id, the key's id, the key and a client using it.</summary>
    public async Task<TestPartner> CreatePartnerAsync(string name)
    {
        var partner = await ReadAsync(await Admin.PostAsJsonAsync("/v1/admin/partners", new { name }), HttpStatusCode.Created);
        var partnerId = (string)partner["partner_id"]!;
        var key = await ReadAsync(await Admin.PostAsJsonAsync($"/v1/admin/partners/{partnerId}/keys", new { name = "tests" }), HttpStatusCode.Created);
        var secret = (string)key["key"]!;
        return new TestPartner(partnerId, (string)key["key_id"]!, secret, CreateClient(secret));
    }

    /// <summary>Every route of the /v1 API as "METHOD /pattern", from the running application's endpoints.</summary>
    public IReadOnlyList<string> Routes() =>
    [
        .. Bridge.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Distinct()
            .Order(),
    ];

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : (JsonNode.Parse(body) as JsonObject ?? new JsonObject { ["array"] = JsonNode.Parse(body) });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Bridge.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
