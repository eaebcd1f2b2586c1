using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using StandardWebhooks;

namespace Bria.StatusBridge.IntegrationTests.Api;

/// <summary>"Send a test event" through the real delivery engine, on both stores: the message reaches a loopback
/// receiver signed with the endpoint's secret, and it is stored as what it is, a message about no request.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class TestEventTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Test_event_arrives_signed_with_the_endpoint_secret_and_names_no_request(string provider)
    {
        var sqliteFile = Path.Combine(Path.GetTempPath(), $"statusbridge-test-event-{Guid.NewGuid():N}.db");
        try
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            await using var api = await ApiBridge.StartAsync(rabbit, postgres, settings =>
            {
                if (provider == "Sqlite")
                {
                    settings["Persistence:Provider"] = "Sqlite";
                    settings["ConnectionStrings:StatusBridge"] = $"Data Source={sqliteFile}";
                }
            });
            var partner = await api.CreatePartnerAsync("Test events");
            var created = await ApiBridge.ReadAsync(
                await partner.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url("test-events").ToString(), event_types = new[] { "request.completed" } }),
                HttpStatusCode.Created);
            var endpointId = (string)created["endpoint_id"]!;
            var secret = (string)created["secret"]!;

            var queued = await ApiBridge.ReadAsync(await partner.Client.PostAsync($"/v1/webhook-endpoints/{endpointId}/test", null), HttpStatusCode.Accepted);
            var deliveryId = (string)queued["delivery_id"]!;
            Assert.Null(queued["request_id"]);
            await Eventually.HoldsAsync(() => receiver.On("/test-events").Count >= 1, TimeSpan.FromSeconds(20), () => "the test event never arrived");

            var received = Assert.Single(receiver.On("/test-events"));
            Assert.Equal(deliveryId, received.WebhookId);
            new StandardWebhook(secret).Verify(received.Body, received.Headers);
            var body = JsonNode.Parse(received.Body)!;
            Assert.Equal("webhook.test", (string)body["type"]!);
            // The same time format as every other webhook and the API: UTC, milliseconds, Z.
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", (string)body["timestamp"]!);
            Assert.Equal(endpointId, (string)body["data"]!["endpoint_id"]!);

            await Eventually.HoldsAsync(
                async () => (string?)(await ApiBridge.ReadAsync(await partner.Client.GetAsync($"/v1/deliveries/{deliveryId}"), HttpStatusCode.OK))["state"] == "delivered",
                TimeSpan.FromSeconds(10),
                () => "the test delivery was not marked delivered");
            var detail = await ApiBridge.ReadAsync(await partner.Client.GetAsync($"/v1/deliveries/{deliveryId}"), HttpStatusCode.OK);
            Assert.Null(detail["request_id"]);
            Assert.Equal(200, (int)Assert.Single(detail["attempts"]!.AsArray())!["status_code"]!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(sqliteFile) + "*"))
            {
                File.Delete(file);
            }
        }
    }
}
