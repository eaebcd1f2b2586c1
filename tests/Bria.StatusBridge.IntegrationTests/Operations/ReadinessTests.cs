using System.Net;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Operations;

[Collection(SerialCollectionDefinition.Name)]
public sealed class ReadinessTests(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private const string OperatorKey = "readiness-operator-key-0123456789";

    [Fact]
    public async Task Readyz_answers_503_while_PostgreSQL_is_unreachable_and_200_once_it_is_back()
    {
        var target = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync());
        await using var proxy = new SwitchableTcpProxy(target.Host!, target.Port);
        target.Host = "127.0.0.1";
        target.Port = proxy.Port;
        target.Timeout = 3;
        await using var simulator = await SimulatorHost.StartAsync();
        var settings = BridgeHost.ServerSettings(simulator, target.ConnectionString, await rabbit.CreateVirtualHostAsync());
        settings["Admin:ApiKey"] = OperatorKey;
        await using var bridge = await BridgeHost.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = bridge.BaseUrl };

        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"database\"", body, StringComparison.Ordinal);
        Assert.Contains("\"masstransit-bus\"", body, StringComparison.Ordinal);

        proxy.Cut();
        await WaitForStatusAsync(http, "/readyz", HttpStatusCode.ServiceUnavailable);
        // Alive all the same: an orchestrator must not restart the bridge because the database is away.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        using (var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            var report = await notReady.Content.ReadAsStringAsync();
            Assert.Contains("\"Unhealthy\"", report, StringComparison.Ordinal);
            Assert.DoesNotContain(target.Password!, report, StringComparison.Ordinal);
        }

        // An API call that needs the store answers 503 with Retry-After and says to try again, not a bare 500.
        using (var call = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/admin/partners", UriKind.Relative)))
        {
            call.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorKey);
            using var refused = await http.SendAsync(call);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("store is unreachable", problem, StringComparison.Ordinal);
            Assert.DoesNotContain(target.Password!, problem, StringComparison.Ordinal);
        }

        proxy.Restore();
        await WaitForStatusAsync(http, "/readyz", HttpStatusCode.OK);
    }

    private static async Task WaitForStatusAsync(HttpClient http, string path, HttpStatusCode expected)
    {
        var last = default(HttpStatusCode);
        await Eventually.HoldsAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
                last = response.StatusCode;
                return last == expected;
            },
            TimeSpan.FromSeconds(30),
            () => $"{path} answered {(int)last}, not {(int)expected}, for 30 s");
    }
}
