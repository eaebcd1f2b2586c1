using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.IntegrationTests.Api;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class TenantIsolationTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Partner_B_cannot_read_change_retry_or_list_anything_of_partner_A_on_any_route()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var a = await api.CreatePartnerAsync("A");
        var b = await api.CreatePartnerAsync("B");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "iso-1", DurationMs = 600_000, Outcome = JobOutcome.Completed });

        var endpoint = await ApiBridge.ReadAsync(
            await a.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/a", event_types = new[] { "request.completed" }, description = "A's" }),
            HttpStatusCode.Created);
        var endpointId = (string)endpoint["endpoint_id"]!;
        var secret = (string)endpoint["secret"]!;
        var delivery = await ApiBridge.ReadAsync(await a.Client.PostAsync($"/v1/webhook-endpoints/{endpointId}/test", null), HttpStatusCode.Accepted);
        var deliveryId = (string)delivery["delivery_id"]!;
        await ApiBridge.ReadAsync(
            await a.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "iso-1", correlation_id = "a-secret-order", metadata = new { customer = "a-customer" } }),
            HttpStatusCode.Accepted);
        // B's own endpoint answers B: a 404 below is isolation, not a broken route.
        var own = await ApiBridge.ReadAsync(
            await b.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/b", event_types = new[] { "request.failed" } }),
            HttpStatusCode.Created);
        await ApiBridge.ReadAsync(await b.Client.GetAsync($"/v1/webhook-endpoints/{(string)own["endpoint_id"]!}"), HttpStatusCode.OK);
        var signingSecret = (string)(await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/signing-secret"), HttpStatusCode.OK))["key"]!;

        var since = DateTimeOffset.UtcNow.AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        // Every partner route, with A's ids. Order matters only for the last row (B then tracks A's request id itself).
        IsolationCase[] table =
        [
            new("GET /v1/webhook-endpoints", HttpMethod.Get, "/v1/webhook-endpoints", null, Expect.ListWithout(endpointId)),
            new("GET /v1/webhook-endpoints/{endpoint_id}", HttpMethod.Get, $"/v1/webhook-endpoints/{endpointId}", null, Expect.NotFound),
            new("PATCH /v1/webhook-endpoints/{endpoint_id}", HttpMethod.Patch, $"/v1/webhook-endpoints/{endpointId}", """{"description":"B was here","url":"http://127.0.0.1:9/b"}""", Expect.NotFound),
            new("POST /v1/webhook-endpoints/{endpoint_id}/disable", HttpMethod.Post, $"/v1/webhook-endpoints/{endpointId}/disable", null, Expect.NotFound),
            new("POST /v1/webhook-endpoints/{endpoint_id}/enable", HttpMethod.Post, $"/v1/webhook-endpoints/{endpointId}/enable", null, Expect.NotFound),
            new("GET /v1/webhook-endpoints/{endpoint_id}/secret", HttpMethod.Get, $"/v1/webhook-endpoints/{endpointId}/secret", null, Expect.NotFound),
            new("POST /v1/webhook-endpoints/{endpoint_id}/secret/rotate", HttpMethod.Post, $"/v1/webhook-endpoints/{endpointId}/secret/rotate", null, Expect.NotFound),
            new("POST /v1/webhook-endpoints/{endpoint_id}/test", HttpMethod.Post, $"/v1/webhook-endpoints/{endpointId}/test", null, Expect.NotFound),
            new("POST /v1/webhook-endpoints/{endpoint_id}/recover", HttpMethod.Post, $"/v1/webhook-endpoints/{endpointId}/recover", $$"""{"since":"{{since}}"}""", Expect.NotFound),
            new("GET /v1/webhook-endpoints/{endpoint_id}/deliveries", HttpMethod.Get, $"/v1/webhook-endpoints/{endpointId}/deliveries", null, Expect.NotFound),
            new("GET /v1/deliveries/{delivery_id}", HttpMethod.Get, $"/v1/deliveries/{deliveryId}", null, Expect.NotFound),
            new("POST /v1/deliveries/{delivery_id}/retry", HttpMethod.Post, $"/v1/deliveries/{deliveryId}/retry", null, Expect.NotFound),
            new("GET /v1/tracked-requests/{request_id}", HttpMethod.Get, "/v1/tracked-requests/iso-1", null, Expect.NotFound),
            new("POST /v1/tracked-requests/{request_id}/cancel", HttpMethod.Post, "/v1/tracked-requests/iso-1/cancel", null, Expect.NotFound),
            new("GET /v1/tracked-requests/{request_id}/events", HttpMethod.Get, "/v1/tracked-requests/iso-1/events", null, Expect.NotFound),
            new("POST /v1/tracked-requests/{request_id}/stream-tokens", HttpMethod.Post, "/v1/tracked-requests/iso-1/stream-tokens", null, Expect.NotFound),
            new("DELETE /v1/webhook-endpoints/{endpoint_id}", HttpMethod.Delete, $"/v1/webhook-endpoints/{endpointId}", null, Expect.NotFound),
            new("POST /v1/webhook-endpoints", HttpMethod.Post, "/v1/webhook-endpoints", """{"url":"http://127.0.0.1:9/c","event_types":["request.completed"]}""", Expect.CreatedButNotVisibleTo(endpointId)),
            new("GET /v1/signing-secret", HttpMethod.Get, "/v1/signing-secret", null, Expect.ListWithout(signingSecret)),
            new("POST /v1/signing-secret/rotate", HttpMethod.Post, "/v1/signing-secret/rotate", null, Expect.ListWithout(signingSecret)),
            new("POST /v1/tracked-requests", HttpMethod.Post, "/v1/tracked-requests", """{"request_id":"iso-1","correlation_id":"b-order"}""", Expect.Status(HttpStatusCode.Accepted)),
        ];

        // The table covers every partner route the application maps (Bria's webhooks are signed by Bria, not a partner:
        // BriaPushTests covers them).
        var partnerRoutes = api.Routes()
            .Where(r => !r.Contains("/v1/admin", StringComparison.Ordinal) && !r.Contains("/v1/bria/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(partnerRoutes.Order(), table.Select(c => c.Route).Order());

        var failures = new StringBuilder();
        foreach (var row in table)
        {
            using var request = new HttpRequestMessage(row.Method, row.Path);
            if (row.Body is not null)
            {
                request.Content = new StringContent(row.Body, Encoding.UTF8, "application/json");
            }

            using var response = await b.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (row.Check(response.StatusCode, body) is { } problem)
            {
                failures.AppendLine($"{row.Route}: {problem} (got {(int)response.StatusCode}: {body})");
            }

            if (body.Contains(secret, StringComparison.Ordinal) || body.Contains("a-secret-order", StringComparison.Ordinal) || body.Contains("a-customer", StringComparison.Ordinal))
            {
                failures.AppendLine($"{row.Route}: the answer leaks partner A's data: {body}");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());

        // B tracking the same Bria request sees only its own subscription and deliveries.
        var seenByB = await ApiBridge.ReadAsync(await b.Client.GetAsync("/v1/tracked-requests/iso-1"), HttpStatusCode.OK);
        Assert.Equal("b-order", (string)Assert.Single(seenByB["subscribers"]!.AsArray())!["correlation_id"]!);
        Assert.Empty(seenByB["deliveries"]!.AsArray());

        // And nothing of A's changed.
        var after = await ApiBridge.ReadAsync(await a.Client.GetAsync($"/v1/webhook-endpoints/{endpointId}"), HttpStatusCode.OK);
        Assert.True((bool)after["enabled"]!);
        Assert.Equal("A's", (string)after["description"]!);
        Assert.Equal("http://127.0.0.1:9/a", (string)after["url"]!);
        Assert.Equal(secret, (string)(await ApiBridge.ReadAsync(await a.Client.GetAsync($"/v1/webhook-endpoints/{endpointId}/secret"), HttpStatusCode.OK))["key"]!);
        Assert.Null((await ApiBridge.ReadAsync(await a.Client.GetAsync($"/v1/webhook-endpoints/{endpointId}/secret"), HttpStatusCode.OK))["previous_key_expires_at"]);
        Assert.Equal(signingSecret, (string)(await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/signing-secret"), HttpStatusCode.OK))["key"]!);
        var aDeliveries = await ApiBridge.ReadAsync(await a.Client.GetAsync($"/v1/webhook-endpoints/{endpointId}/deliveries"), HttpStatusCode.OK);
        Assert.Equal(deliveryId, (string)Assert.Single(aDeliveries["data"]!.AsArray())!["delivery_id"]!);
        var aList = await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/webhook-endpoints"), HttpStatusCode.OK);
        Assert.Equal(endpointId, (string)Assert.Single(aList["data"]!.AsArray())!["endpoint_id"]!);
        var seenByA = await ApiBridge.ReadAsync(await a.Client.GetAsync("/v1/tracked-requests/iso-1"), HttpStatusCode.OK);
        Assert.Equal("tracking", (string)seenByA["state"]!);
        var aSubscriber = Assert.Single(seenByA["subscribers"]!.AsArray())!;
        Assert.Equal("a-secret-order", (string)aSubscriber["correlation_id"]!);
        Assert.Null(aSubscriber["cancelled_at"]);
    }

    private sealed record IsolationCase(string Route, HttpMethod Method, string Path, string? Body, Func<HttpStatusCode, string, string?> Check);

    private static class Expect
    {
        public static string? NotFound(HttpStatusCode status, string body) =>
            status == HttpStatusCode.NotFound && body.Contains("\"detail\"", StringComparison.Ordinal) ? null : "expected 404 ProblemDetails";

        public static Func<HttpStatusCode, string, string?> Status(HttpStatusCode expected) =>
            (status, _) => status == expected ? null : $"expected {(int)expected}";

        public static Func<HttpStatusCode, string, string?> ListWithout(string id) =>
            (status, body) => status == HttpStatusCode.OK && !body.Contains(id, StringComparison.Ordinal) ? null : $"expected a list without {id}";

        public static Func<HttpStatusCode, string, string?> CreatedButNotVisibleTo(string otherId) =>
            (status, body) => status == HttpStatusCode.Created && JsonNode.Parse(body)?["endpoint_id"]?.ToString() != otherId ? null : "expected B's own new endpoint";
    }
}
