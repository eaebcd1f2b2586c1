using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Webhooks;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.IntegrationTests.Webhooks;

/// <summary>The end of the schedule, auto-disable, and what the API builds on: list, get with attempts, retry and
/// recover, each scoped to one partner.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class WebhookReplayTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Exhausted_delivery_is_reported_and_a_retry_resends_it_with_the_same_webhook_id()
    {
        var answer = StatusCodes.Status500InternalServerError;
        await using var receiver = await WebhookReceiver.StartAsync((_, _, _) => Task.FromResult(Results.StatusCode(Volatile.Read(ref answer))));
        await using var simulator = await SimulatorHost.StartAsync();
        var (bridge, database) = await StartBridgeAsync(simulator, s => s["Webhooks:DisableAfter"] = "1.00:00:00");
        await using var _ = bridge;
        var exhausted = new List<WebhookDeliveryExhausted>();
        var handle = bridge.Bus.ConnectReceiveEndpoint($"test-operator-{Guid.NewGuid():N}", e =>
            e.Handler<WebhookDeliveryExhausted>(context =>
            {
                lock (exhausted)
                {
                    exhausted.Add(context.Message);
                }

                return Task.CompletedTask;
            }));
        await handle.Ready;
        await WebhookTestData.AddPartnerAsync(database, "partner-x");
        await WebhookTestData.AddPartnerAsync(database, "partner-y");
        await WebhookTestData.AddEndpointAsync(database, "partner-x", "ep-x", receiver.Url("x"));
        simulator.State.CreateJob(new JobSpec { RequestId = "exhaust-1", DurationMs = 100 });

        await bridge.Bus.Publish(new TrackRequest { RequestId = "exhaust-1", PartnerId = "partner-x" });
        await Eventually.HoldsAsync(() => { lock (exhausted) { return exhausted.Count > 0; } }, Wait, () => $"no WebhookDeliveryExhausted; {receiver.Received.Count} calls");

        var report = exhausted.Single();
        var schedule = WebhookDeliveryTests.WebhookSettings("").Count(k => k.Key.StartsWith("Webhooks:RetrySchedule", StringComparison.Ordinal));
        Assert.Equal(schedule, report.Attempts);
        Assert.Equal(500, report.LastStatusCode);
        Assert.Equal("exhaust-1", report.RequestId);
        Assert.Equal(schedule, receiver.On("/x").Count);

        var store = bridge.Services.GetRequiredService<IDeliveryStore>();
        var failed = new DeliveryFilter(nameof(DeliveryState.Failed), null, null, null, 10, null);
        var listed = Assert.Single(await store.ListDeliveriesAsync("partner-x", "ep-x", failed, CancellationToken.None));
        Assert.Equal(report.DeliveryId, listed.DeliveryId);
        Assert.Empty(await store.ListDeliveriesAsync("partner-y", "ep-x", failed, CancellationToken.None));
        Assert.Null(await store.GetDeliveryAsync("partner-y", listed.DeliveryId, CancellationToken.None));
        var details = await store.GetDeliveryAsync("partner-x", listed.DeliveryId, CancellationToken.None);
        Assert.NotNull(details);
        var attempts = await store.ListAttemptsAsync(listed.DeliveryId, CancellationToken.None);
        Assert.Equal(schedule, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(500, a.StatusCode));
        Assert.Contains("\"exhaust-1\"", details.Payload, StringComparison.Ordinal);

        // Another partner cannot retry it; its owner can, and the resend carries the same webhook-id.
        Assert.Equal(RetryOutcome.NotFound, await store.RetryAsync("partner-y", listed.DeliveryId, DateTimeOffset.UtcNow, CancellationToken.None));
        Volatile.Write(ref answer, StatusCodes.Status200OK);
        Assert.Equal(RetryOutcome.Scheduled, await store.RetryAsync("partner-x", listed.DeliveryId, DateTimeOffset.UtcNow, CancellationToken.None));
        await Eventually.HoldsAsync(() => receiver.On("/x").Count > schedule, Wait, () => "the retry was not sent");
        Assert.Single(receiver.On("/x").Select(r => r.WebhookId).Distinct());
        await Eventually.HoldsAsync(
            async () => (await store.GetDeliveryAsync("partner-x", listed.DeliveryId, CancellationToken.None))!.State == nameof(DeliveryState.Delivered),
            Wait,
            () => "the retried delivery is not marked delivered");
        await handle.StopAsync();
    }

    [Fact]
    public async Task Endpoint_failing_longer_than_DisableAfter_is_disabled_and_its_failures_can_be_recovered()
    {
        var answer = StatusCodes.Status503ServiceUnavailable;
        await using var receiver = await WebhookReceiver.StartAsync((_, _, _) => Task.FromResult(Results.StatusCode(Volatile.Read(ref answer))));
        await using var simulator = await SimulatorHost.StartAsync();
        var (bridge, database) = await StartBridgeAsync(simulator, s => s["Webhooks:DisableAfter"] = "00:00:01");
        await using var _ = bridge;
        await WebhookTestData.AddPartnerAsync(database, "partner-z");
        await WebhookTestData.AddEndpointAsync(database, "partner-z", "ep-z", receiver.Url("z"));
        var since = DateTimeOffset.UtcNow;
        simulator.State.CreateJob(new JobSpec { RequestId = "down-1", DurationMs = 100 });
        simulator.State.CreateJob(new JobSpec { RequestId = "down-2", DurationMs = 100 });

        await bridge.Bus.Publish(new TrackRequest { RequestId = "down-1", PartnerId = "partner-z" });
        await bridge.Bus.Publish(new TrackRequest { RequestId = "down-2", PartnerId = "partner-z" });
        await Eventually.HoldsAsync(
            async () => await WebhookTestData.ScalarAsync<long?>(database, "SELECT disabled_at FROM webhook_endpoints WHERE endpoint_id = 'ep-z'") is not null,
            Wait,
            () => "the endpoint was not disabled");

        var reason = await WebhookTestData.ScalarAsync<string>(database, "SELECT disabled_reason FROM webhook_endpoints WHERE endpoint_id = 'ep-z'");
        Assert.StartsWith("Every attempt failed since", reason, StringComparison.Ordinal);
        Assert.Equal(0L, await WebhookTestData.ScalarAsync<long>(database, "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = 'ep-z' AND state <> 'Failed'"));

        // Enabled again (what the API's enable does), the failed messages are recovered with their webhook-ids.
        var idsBefore = receiver.On("/z").Select(r => r.WebhookId).ToHashSet();
        Volatile.Write(ref answer, StatusCodes.Status204NoContent);
        await WebhookTestData.ScalarAsync<object>(database, "UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE endpoint_id = 'ep-z'");
        var store = bridge.Services.GetRequiredService<IDeliveryStore>();
        Assert.Equal(0, await store.RecoverFailedAsync("partner-other", "ep-z", since, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(2, await store.RecoverFailedAsync("partner-z", "ep-z", since, DateTimeOffset.UtcNow, CancellationToken.None));
        await Eventually.HoldsAsync(
            async () => await WebhookTestData.ScalarAsync<long>(database, "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = 'ep-z' AND state = 'Delivered'") == 2,
            Wait,
            () => "the recovered deliveries were not delivered");
        Assert.Subset(idsBefore, receiver.On("/z").Select(r => r.WebhookId).ToHashSet());
    }

    [Fact]
    public async Task Sqlite_store_creates_claims_and_delivers_webhooks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var simulator = await SimulatorHost.StartAsync();
        var file = Path.Combine(Path.GetTempPath(), $"statusbridge-webhooks-{Guid.NewGuid():N}.db");
        var settings = BridgeHost.FastSettings(simulator.BaseUrl, simulator.ApiToken);
        settings["ConnectionStrings:StatusBridge"] = $"Data Source={file}";
        foreach (var (key, value) in WebhookDeliveryTests.WebhookSettings(WebhookSecret.Generate()))
        {
            settings[key] = value;
        }

        await using (var bridge = await BridgeHost.StartAsync(settings))
        {
            simulator.State.CreateJob(new JobSpec { RequestId = "lite-1", DurationMs = 100, Outcome = JobOutcome.Error });
            await bridge.Bus.Publish(new TrackRequest { RequestId = "lite-1", WebhookUrl = receiver.Url("lite") });
            await Eventually.HoldsAsync(() => receiver.On("/lite").Count > 0, Wait, () => "no webhook from the SQLite bridge");
            await Eventually.HoldsAsync(
                async () => await CountDeliveredAsync(file) == 1,
                Wait,
                () => "not marked delivered in SQLite");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    private static async Task<long> CountDeliveredAsync(string file)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Delivered'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(BridgeHost Bridge, string Database)> StartBridgeAsync(SimulatorHost simulator, Action<Dictionary<string, string?>> configure)
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = BridgeHost.ServerSettings(simulator, database, await rabbit.CreateVirtualHostAsync());
        foreach (var (key, value) in WebhookDeliveryTests.WebhookSettings(WebhookSecret.Generate()))
        {
            settings[key] = value;
        }

        configure(settings);
        return (await BridgeHost.StartAsync(settings), database);
    }
}
