using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Api;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PartnerFlowTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Partner_registers_an_endpoint_tracks_a_request_over_HTTP_and_reads_its_result()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Acme");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "flow-1", DurationMs = 300, Outcome = JobOutcome.Completed, Prompt = "a red fox" });

        var endpoint = await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/hooks", event_types = new[] { "request.completed", "request.failed" }, description = "main" }),
            HttpStatusCode.Created);
        Assert.StartsWith("whsec_", (string)endpoint["secret"]!, StringComparison.Ordinal);
        Assert.StartsWith("ep_", (string)endpoint["endpoint_id"]!, StringComparison.Ordinal);

        var accepted = await partner.Client.PostAsJsonAsync("/v1/tracked-requests", new
        {
            request_id = "flow-1",
            correlation_id = "order-7",
            endpoint_kind = "Image",
            metadata = new Dictionary<string, string> { ["order"] = "7" },
        });
        var body = await ApiBridge.ReadAsync(accepted, HttpStatusCode.Accepted);
        Assert.Equal("/v1/tracked-requests/flow-1", accepted.Headers.Location?.ToString());
        Assert.Equal("tracking", (string)body["state"]!);
        Assert.True((bool)body["new_request"]!);

        var request = await WaitForStateAsync(partner.Client, "flow-1", "completed");
        Assert.Equal("a red fox", (string?)request["result"]?["prompt"]);
        Assert.NotNull(request["result"]?["image_url"]);
        Assert.Null(request["failure_reason"]);
        // The outcome became one webhook message to the partner's endpoint, written with the terminal state.
        Assert.Equal("request.completed", (string)Assert.Single(request["deliveries"]!.AsArray())!["event_type"]!);
        var subscriber = Assert.Single(request["subscribers"]!.AsArray())!;
        Assert.Equal("order-7", (string)subscriber["correlation_id"]!);
        Assert.Equal("7", (string)subscriber["metadata"]!["order"]!);

        // The key list shows the prefix and the use, never the key.
        var keys = await ApiBridge.ReadAsync(await api.Admin.GetAsync($"/v1/admin/partners/{partner.PartnerId}/keys"), HttpStatusCode.OK);
        var key = Assert.Single(keys["data"]!.AsArray())!;
        Assert.Equal(partner.Key[..12], (string)key["prefix"]!);
        Assert.NotNull(key["last_used_at"]);
        Assert.DoesNotContain(partner.Key, keys.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(key["key"]);

        // Stored hashed: the key appears nowhere in the database.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM api_keys WHERE key_hash = @key OR key_prefix = @key", connection);
        command.Parameters.AddWithValue("key", partner.Key);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Tracking_again_after_cancelling_answers_409_and_a_new_correlation_id_gets_the_outcome()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        await using var collector = await OutcomeCollector.ConnectAsync(api.Bridge.Bus);
        var a = await api.CreatePartnerAsync("A");
        var b = await api.CreatePartnerAsync("B");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "resub-1", DurationMs = 4_000, Outcome = JobOutcome.Completed });
        var track = new { request_id = "resub-1", correlation_id = "a-1", webhook_url = "http://127.0.0.1:9/a" };
        await ApiBridge.ReadAsync(await a.Client.PostAsJsonAsync("/v1/tracked-requests", track), HttpStatusCode.Accepted);
        await ApiBridge.ReadAsync(await b.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "resub-1", correlation_id = "b-1" }), HttpStatusCode.Accepted);
        await ApiBridge.ReadAsync(await a.Client.PostAsync("/v1/tracked-requests/resub-1/cancel", null), HttpStatusCode.OK);

        // The same correlation id and webhook URL name the cancelled subscriber: refused, with what to do instead.
        var refused = await ApiBridge.ReadAsync(await a.Client.PostAsJsonAsync("/v1/tracked-requests", track), HttpStatusCode.Conflict);
        Assert.Equal("Tracking was cancelled", (string)refused["title"]!);
        Assert.Contains("new correlation_id", (string)refused["detail"]!, StringComparison.Ordinal);

        // The same over the bus is ignored, not a fault; a new correlation id subscribes again and gets the outcome.
        await api.Bridge.Bus.Publish(new TrackRequest { RequestId = "resub-1", CorrelationId = "a-1", PartnerId = a.PartnerId, WebhookUrl = new Uri("http://127.0.0.1:9/a") });
        var again = await ApiBridge.ReadAsync(
            await a.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "resub-1", correlation_id = "a-2" }), HttpStatusCode.Accepted);
        Assert.True((bool)again["new_subscriber"]!);
        Assert.Equal("tracking", (string)again["state"]!);

        await WaitUntilAsync(() => collector.For("resub-1").Any(o => o.Completed?.CorrelationId == "a-2"), "the outcome for the new subscription");
        await WaitUntilAsync(() => collector.For("resub-1").Any(o => o.Completed?.CorrelationId == "b-1"), "the outcome for B");
        Assert.DoesNotContain(collector.For("resub-1"), o => o.Completed?.CorrelationId == "a-1");
        var mine = await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/tracked-requests/resub-1"), HttpStatusCode.OK);
        Assert.Equal(2, mine["subscribers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Cancelling_ends_only_the_callers_subscription_until_the_last_subscriber_cancels()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        await using var collector = await OutcomeCollector.ConnectAsync(api.Bridge.Bus);
        var a = await api.CreatePartnerAsync("A");
        var b = await api.CreatePartnerAsync("B");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "cancel-1", DurationMs = 600_000, Outcome = JobOutcome.Completed });

        await ApiBridge.ReadAsync(await a.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "cancel-1", correlation_id = "a-1" }), HttpStatusCode.Accepted);
        await ApiBridge.ReadAsync(await b.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "cancel-1", correlation_id = "b-1" }), HttpStatusCode.Accepted);

        var first = await ApiBridge.ReadAsync(await a.Client.PostAsync("/v1/tracked-requests/cancel-1/cancel", null), HttpStatusCode.OK);
        Assert.Equal("subscription_cancelled", (string)first["outcome"]!);
        await collector.WaitForAllAsync(["cancel-1"], Patience);
        var notice = Assert.Single(collector.For("cancel-1"));
        Assert.Equal(FailureReason.Cancelled, notice.Failed?.Reason);
        Assert.Equal("a-1", notice.Failed?.CorrelationId);

        var forB = await ApiBridge.ReadAsync(await b.Client.GetAsync("/v1/tracked-requests/cancel-1"), HttpStatusCode.OK);
        Assert.Equal("tracking", (string)forB["state"]!);
        Assert.Null(Assert.Single(forB["subscribers"]!.AsArray())!["cancelled_at"]);
        var forA = await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/tracked-requests/cancel-1"), HttpStatusCode.OK);
        Assert.NotNull(Assert.Single(forA["subscribers"]!.AsArray())!["cancelled_at"]);

        var again = await ApiBridge.ReadAsync(await a.Client.PostAsync("/v1/tracked-requests/cancel-1/cancel", null), HttpStatusCode.Conflict);
        Assert.Contains("already cancelled", (string)again["detail"]!, StringComparison.Ordinal);

        var last = await ApiBridge.ReadAsync(await b.Client.PostAsync("/v1/tracked-requests/cancel-1/cancel", null), HttpStatusCode.OK);
        Assert.Equal("request_cancelled", (string)last["outcome"]!);
        // A cancellation belongs to its subscriber: the request does not end for everyone, its polling pauses.
        var paused = await ApiBridge.ReadAsync(await b.Client.GetAsync("/v1/tracked-requests/cancel-1"), HttpStatusCode.OK);
        Assert.Equal("tracking", (string)paused["state"]!);
        Assert.Null(paused["failure_reason"]);
        await WaitUntilAsync(() => collector.For("cancel-1").Count == 2, "B's cancellation notice");
        Assert.Contains(collector.For("cancel-1"), o => o.Failed?.CorrelationId == "b-1" && o.Failed.Reason == FailureReason.Cancelled);
    }

    [Fact]
    public async Task After_the_last_subscriber_cancels_polling_pauses_and_a_later_subscriber_gets_Brias_real_outcome()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        await using var collector = await OutcomeCollector.ConnectAsync(api.Bridge.Bus);
        var a = await api.CreatePartnerAsync("Early");
        var c = await api.CreatePartnerAsync("Late");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "cancel-then-late-1", DurationMs = 3000, Outcome = JobOutcome.Completed });

        await ApiBridge.ReadAsync(await a.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "cancel-then-late-1", correlation_id = "early-1" }), HttpStatusCode.Accepted);
        var cancelled = await ApiBridge.ReadAsync(await a.Client.PostAsync("/v1/tracked-requests/cancel-then-late-1/cancel", null), HttpStatusCode.OK);
        Assert.Equal("request_cancelled", (string)cancelled["outcome"]!);
        await WaitUntilAsync(() => collector.For("cancel-then-late-1").Count == 1, "the canceller's Cancelled notice");
        Assert.Equal(FailureReason.Cancelled, Assert.Single(collector.For("cancel-then-late-1")).Failed?.Reason);

        // Paused: still tracking (Bria's job goes on), but with no next poll while nobody waits.
        var paused = await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/tracked-requests/cancel-then-late-1"), HttpStatusCode.OK);
        Assert.Equal("tracking", (string)paused["state"]!);
        Assert.Null(paused["next_poll_at"]);

        await ApiBridge.ReadAsync(await c.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "cancel-then-late-1", correlation_id = "late-1" }), HttpStatusCode.Accepted);
        await WaitUntilAsync(() => collector.For("cancel-then-late-1").Any(o => o.Completed?.CorrelationId == "late-1"), "the late subscriber's real outcome");
        Assert.DoesNotContain(collector.For("cancel-then-late-1"), o => o.Failed?.CorrelationId == "late-1");
        Assert.Single(collector.For("cancel-then-late-1"), o => o.Failed?.CorrelationId == "early-1");
        var done = await ApiBridge.ReadAsync(await c.Client.GetAsync("/v1/tracked-requests/cancel-then-late-1"), HttpStatusCode.OK);
        Assert.Equal("completed", (string)done["state"]!);
    }

    [Fact]
    public async Task Endpoint_lifecycle_update_disable_enable_rotate_test_event_deliveries_retry_recover_delete()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Lifecycle");
        var client = partner.Client;
        var created = await ApiBridge.ReadAsync(
            await client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/a", event_types = new[] { "request.completed" } }),
            HttpStatusCode.Created);
        var id = (string)created["endpoint_id"]!;
        var secret = (string)created["secret"]!;

        var updated = await ApiBridge.ReadAsync(
            await client.PatchAsJsonAsync($"/v1/webhook-endpoints/{id}", new { event_types = new[] { "request.failed", "request.completed" }, description = "ops" }),
            HttpStatusCode.OK);
        Assert.Equal("ops", (string)updated["description"]!);
        Assert.Equal(2, updated["event_types"]!.AsArray().Count);
        Assert.Equal("http://127.0.0.1:9/a", (string)updated["url"]!);

        var disabled = await ApiBridge.ReadAsync(await client.PostAsync($"/v1/webhook-endpoints/{id}/disable", null), HttpStatusCode.OK);
        Assert.False((bool)disabled["enabled"]!);
        var refused = await ApiBridge.ReadAsync(await client.PostAsync($"/v1/webhook-endpoints/{id}/test", null), HttpStatusCode.Conflict);
        Assert.Contains("/enable", (string)refused["detail"]!, StringComparison.Ordinal);
        var enabled = await ApiBridge.ReadAsync(await client.PostAsync($"/v1/webhook-endpoints/{id}/enable", null), HttpStatusCode.OK);
        Assert.True((bool)enabled["enabled"]!);

        Assert.Equal(secret, (string)(await ApiBridge.ReadAsync(await client.GetAsync($"/v1/webhook-endpoints/{id}/secret"), HttpStatusCode.OK))["key"]!);
        var rotated = await ApiBridge.ReadAsync(await client.PostAsync($"/v1/webhook-endpoints/{id}/secret/rotate", null), HttpStatusCode.OK);
        Assert.NotEqual(secret, (string)rotated["key"]!);
        var expires = DateTimeOffset.Parse((string)rotated["previous_key_expires_at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT previous_secret FROM webhook_endpoints WHERE endpoint_id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            Assert.Equal(secret, (string?)await command.ExecuteScalarAsync());
        }

        // Three test events, read back newest first in pages of two.
        var tests = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var queued = await client.PostAsync($"/v1/webhook-endpoints/{id}/test", null);
            var delivery = await ApiBridge.ReadAsync(queued, HttpStatusCode.Accepted);
            Assert.Equal("webhook.test", (string)delivery["event_type"]!);
            tests.Add((string)delivery["delivery_id"]!);
        }

        var page1 = await ApiBridge.ReadAsync(await client.GetAsync($"/v1/webhook-endpoints/{id}/deliveries?limit=2&event_type=webhook.test"), HttpStatusCode.OK);
        Assert.False((bool)page1["done"]!);
        var page2 = await ApiBridge.ReadAsync(
            await client.GetAsync($"/v1/webhook-endpoints/{id}/deliveries?limit=2&cursor={Uri.EscapeDataString((string)page1["next_cursor"]!)}"),
            HttpStatusCode.OK);
        Assert.True((bool)page2["done"]!);
        var listed = page1["data"]!.AsArray().Concat(page2["data"]!.AsArray()).Select(d => (string)d!["delivery_id"]!).ToList();
        Assert.Equal(tests.AsEnumerable().Reverse(), listed);

        var detail = await ApiBridge.ReadAsync(await client.GetAsync($"/v1/deliveries/{tests[0]}"), HttpStatusCode.OK);
        var payload = JsonNode.Parse((string)detail["payload"]!)!;
        Assert.Equal("webhook.test", (string)payload["type"]!);
        Assert.NotNull(detail["attempts"]);

        // Nothing listens on 127.0.0.1:9: with one attempt per message, the engine fails each at its first attempt.
        await WaitUntilAsync(async () => await CountAsync(client, $"/v1/webhook-endpoints/{id}/deliveries?state=failed") == 3, "three failed test deliveries");
        var failedOnce = await ApiBridge.ReadAsync(await client.GetAsync($"/v1/deliveries/{tests[0]}"), HttpStatusCode.OK);
        var attempt = Assert.Single(failedOnce["attempts"]!.AsArray())!;
        Assert.Null(attempt["status_code"]);
        Assert.False(string.IsNullOrEmpty((string?)attempt["error"]));
        Assert.NotNull(attempt["latency_ms"]);

        var retried = await ApiBridge.ReadAsync(await client.PostAsync($"/v1/deliveries/{tests[0]}/retry", null), HttpStatusCode.Accepted);
        Assert.Equal(tests[0], (string)retried["delivery_id"]!);
        await WaitUntilAsync(
            async () => (await ApiBridge.ReadAsync(await client.GetAsync($"/v1/deliveries/{tests[0]}"), HttpStatusCode.OK))["attempts"]!.AsArray().Count == 2,
            "the retried delivery's second attempt");

        await WaitUntilAsync(async () => await CountAsync(client, $"/v1/webhook-endpoints/{id}/deliveries?state=failed") == 3, "the retry to fail again");
        var recovered = await ApiBridge.ReadAsync(
            await client.PostAsJsonAsync($"/v1/webhook-endpoints/{id}/recover", new { since = DateTimeOffset.UtcNow.AddHours(-1) }),
            HttpStatusCode.OK);
        Assert.Equal(3, (int)recovered["recovered"]!);
        await WaitUntilAsync(
            async () => (await ApiBridge.ReadAsync(await client.GetAsync($"/v1/deliveries/{tests[2]}"), HttpStatusCode.OK))["attempts"]!.AsArray().Count == 2,
            "the recovered deliveries' next attempt");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/webhook-endpoints/{id}")).StatusCode);
        await ApiBridge.ReadAsync(await client.GetAsync($"/v1/webhook-endpoints/{id}"), HttpStatusCode.NotFound);
        var list = await ApiBridge.ReadAsync(await client.GetAsync("/v1/webhook-endpoints"), HttpStatusCode.OK);
        Assert.Empty(list["data"]!.AsArray());
        var history = await ApiBridge.ReadAsync(await client.GetAsync($"/v1/deliveries/{tests[2]}"), HttpStatusCode.OK);
        Assert.Equal("failed", (string)history["state"]!);
    }

    private static async Task<int> CountAsync(HttpClient client, string path) =>
        (await ApiBridge.ReadAsync(await client.GetAsync(path), HttpStatusCode.OK))["data"]!.AsArray().Count;

    internal static async Task<JsonObject> WaitForStateAsync(HttpClient client, string requestId, string state)
    {
        JsonObject? last = null;
        await WaitUntilAsync(
            async () =>
            {
                last = await ApiBridge.ReadAsync(await client.GetAsync($"/v1/tracked-requests/{requestId}"), HttpStatusCode.OK);
                return (string?)last["state"] == state;
            },
            $"{requestId} to become {state}");
        return last!;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.HoldsAsync(condition, Patience, () => $"Timed out waiting for {what}.");
}
