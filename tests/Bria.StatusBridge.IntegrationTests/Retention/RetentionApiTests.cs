using System.Net;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Retention;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class RetentionApiTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_request_and_a_delivery_purged_by_the_running_bridge_answer_404_naming_the_retention_period()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, settings =>
        {
            settings["Retention:FinishedRequests"] = "01:00:00";
            settings["Retention:Deliveries"] = "02:00:00";
            settings["Retention:AttemptAnswers"] = "01:00:00";
            settings["Retention:Interval"] = "00:00:01";
        });
        var partner = await api.CreatePartnerAsync("Retention");
        await using var connections = new DbConnectionFactory(MsOptions.Create(new PersistenceOptions { Provider = StoreProvider.Postgres, ConnectionString = api.ConnectionString }));
        var seed = new HistorySeed(connections);

        // Finished just inside their retention: readable now, purged by the bridge's own loop a few seconds later.
        var now = DateTimeOffset.UtcNow;
        await seed.RequestAsync("req-ending", "Completed", now - TimeSpan.FromHours(1) + TimeSpan.FromSeconds(8), partnerId: partner.PartnerId);
        await seed.DeliveryAsync("dlv-ending", "req-ending", "Delivered", now - TimeSpan.FromHours(2) + TimeSpan.FromSeconds(8), now - TimeSpan.FromHours(1), partnerId: partner.PartnerId);
        await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/tracked-requests/req-ending"), HttpStatusCode.OK);
        await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/deliveries/dlv-ending"), HttpStatusCode.OK);

        await Eventually.HoldsAsync(
            async () => await seed.ScalarAsync("SELECT COUNT(*) FROM tracked_requests") + await seed.ScalarAsync("SELECT COUNT(*) FROM webhook_deliveries") == 0,
            TimeSpan.FromSeconds(60),
            () => "the bridge's purge loop did not remove the request and the delivery past their retention");

        var request = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/tracked-requests/req-ending"), HttpStatusCode.NotFound);
        Assert.Contains("Finished requests are kept for 1 hour after they ended; an older one has been purged.", (string)request["detail"]!, StringComparison.Ordinal);
        var cancel = await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/tracked-requests/req-ending/cancel", null), HttpStatusCode.NotFound);
        Assert.Contains("kept for 1 hour", (string)cancel["detail"]!, StringComparison.Ordinal);
        var delivery = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/deliveries/dlv-ending"), HttpStatusCode.NotFound);
        Assert.Contains("Delivered and failed webhook messages are kept for 2 hours after they were created", (string)delivery["detail"]!, StringComparison.Ordinal);
        var retry = await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/deliveries/dlv-ending/retry", null), HttpStatusCode.NotFound);
        Assert.Contains("kept for 2 hours", (string)retry["detail"]!, StringComparison.Ordinal);
    }
}
