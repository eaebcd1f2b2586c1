using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;
using StandardWebhooks;

namespace Bria.StatusBridge.IntegrationTests.Api;

/// <summary>What a partner meets first: every refusal a ProblemDetails that says what to fix, field errors under the
/// field's name, one spelling per value, and the secret that signs deliveries to a per-request webhook_url.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ApiContractTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string ProblemJson = "application/problem+json";
    private const string WireTime = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$";

    [Fact]
    public async Task Refusals_written_by_the_framework_carry_a_detail_that_says_what_to_fix()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Refusals");
        var failures = new StringBuilder();

        async Task CheckAsync(string why, HttpClient client, HttpRequestMessage request, HttpStatusCode status, string detail)
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var problem = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
            if (response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != ProblemJson
                || problem?["detail"] is not { } given || !((string)given!).Contains(detail, StringComparison.Ordinal))
            {
                failures.AppendLine($"{why}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {text} (expected {(int)status} with a detail naming '{detail}')");
            }
        }

        // curl -d without -H 'Content-Type: application/json' sends a form content type.
        await CheckAsync("no JSON content type", api.Admin, Post("/v1/admin/partners", """{"name":"Acme"}""", "application/x-www-form-urlencoded"),
            HttpStatusCode.UnsupportedMediaType, "Content-Type: application/json");
        await CheckAsync("no body", partner.Client, Post("/v1/tracked-requests", null, "application/json"),
            HttpStatusCode.BadRequest, "\"request_id\":\"7f3c0a9e\"");
        // Offered first (Expect: 100-continue): answered on its Content-Length, the body is never sent, so the answer
        // cannot lose a race with a connection the server closes while 2 MB are still on their way.
        using var tooLarge = Post("/v1/tracked-requests", new string('x', 2 * 1024 * 1024), "application/json");
        tooLarge.Headers.ExpectContinue = true;
        await CheckAsync("a body over the limit", partner.Client, tooLarge, HttpStatusCode.RequestEntityTooLarge, "1,048,576 bytes");
        await CheckAsync("a URL over the limit", partner.Client, new HttpRequestMessage(HttpMethod.Get, "/v1/tracked-requests/" + new string('x', 9000)),
            HttpStatusCode.RequestUriTooLong, "8192 characters");
        await CheckAsync("no such route", partner.Client, new HttpRequestMessage(HttpMethod.Get, "/v1/tracked-request"),
            HttpStatusCode.NotFound, "There is no route GET /v1/tracked-request");
        await CheckAsync("a method the route does not take", partner.Client, new HttpRequestMessage(HttpMethod.Put, "/v1/tracked-requests/r1"),
            HttpStatusCode.MethodNotAllowed, "use GET");
        await CheckAsync("a wrong operator key", api.CreateClient("wrong-operator-key-0123456789"), new HttpRequestMessage(HttpMethod.Get, "/v1/admin/partners"),
            HttpStatusCode.Unauthorized, "The operator key is not valid: send the value of Admin__ApiKey");
        await CheckAsync("a partner key that is not one", api.CreateClient("not-a-key"), new HttpRequestMessage(HttpMethod.Get, "/v1/webhook-endpoints"),
            HttpStatusCode.Unauthorized, "partner API keys start with 'sbk_'");

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task Field_errors_are_keyed_by_the_fields_wire_name_and_list_the_allowed_values()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Fields");
        var failures = new StringBuilder();
        foreach (var (path, body, field, says) in new[]
        {
            ("/v1/tracked-requests", """{"request_id":"a b"}""", "request_id", "request_id 'a b' is not a Bria request id"),
            ("/v1/tracked-requests", """{"request_id":"r1","deadline":"2000-01-01T00:00:00Z"}""", "deadline", "deadline 2000-01-01T00:00:00.000Z is in the past"),
            ("/v1/tracked-requests", """{"request_id":"r1","webhook_url":"ftp://hooks.example/x"}""", "webhook_url", "must be an absolute http or https URL"),
            ("/v1/tracked-requests", """{"request_id":"r1","status_url":"https://elsewhere.example/v2/status/r1"}""", "status_url", "is not Bria's V2 status URL"),
            ("/v1/tracked-requests", """{"correlation_id":"c"}""", "request_id", "request_id is required"),
            ("/v1/tracked-requests", """{"request_id":"r1","endpoint_kind":"audio"}""", "endpoint_kind", "one of image, video or structured_prompt"),
            ("/v1/tracked-requests", """{"request_id":5}""", "request_id", "request_id must be a string"),
            ("/v1/tracked-requests", """{"request_id":"r1","metadata":{"order":17}}""", "metadata", "an object whose values are strings"),
            ("/v1/tracked-requests", """{"request_id":"r1","deadline":"tomorrow"}""", "deadline", "ISO 8601"),
            ("/v1/webhook-endpoints", """{"url":"https://example.com/x","event_types":"request.completed"}""", "event_types", "an array of strings"),
            ("/v1/webhook-endpoints", """{"event_types":["request.completed"]}""", "url", "url is required"),
            ("/v1/webhook-endpoints", """{"url":"http://10.1.2.3/x","event_types":["request.completed"]}""", "url", "10.0.0.0/8"),
            ("/v1/tracked-requests", """{"request_id":"r1","webhook_url":"http://127.0.0.2/x"}""", "webhook_url", "127.0.0.0/8"),
        })
        {
            using var response = await partner.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            var errors = (JsonNode.Parse(text) as JsonObject)?["errors"] as JsonObject;
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != ProblemJson
                || errors?[field] is not JsonArray messages || !messages.Any(m => ((string)m!).Contains(says, StringComparison.Ordinal))
                || errors.ContainsKey("body"))
            {
                failures.AppendLine($"{body}: {(int)response.StatusCode} {text} (expected errors.{field} saying '{says}')");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public async Task Values_and_times_have_one_spelling_in_the_API_and_in_webhooks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Spellings");
        await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url("spellings").ToString(), event_types = new[] { "request.failed" } }),
            HttpStatusCode.Created);
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "spell-1", EndpointKind = JobKind.StructuredPrompt, DurationMs = 600_000, Outcome = JobOutcome.Completed });

        // Either spelling is read; one is written.
        await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "spell-1", endpoint_kind = "StructuredPrompt" }),
            HttpStatusCode.Accepted);
        await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/tracked-requests/spell-1/cancel", null), HttpStatusCode.OK);
        var request = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/tracked-requests/spell-1"), HttpStatusCode.OK);
        await Eventually.HoldsAsync(() => receiver.On("/spellings").Count >= 1, TimeSpan.FromSeconds(20), () => "the cancellation webhook never arrived");
        var webhook = JsonNode.Parse(receiver.On("/spellings")[0].Body)!;

        Assert.Equal("structured_prompt", (string)request["endpoint_kind"]!);
        // The cancellation is the subscriber's (its notice says cancelled); the request itself goes on tracking.
        Assert.Equal("tracking", (string)request["state"]!);
        Assert.Equal("cancelled", (string)webhook["data"]!["reason"]!);
        foreach (var time in new[] { request["created_at"], request["deadline"], request["subscribers"]![0]!["created_at"], webhook["timestamp"], webhook["data"]!["noticed_at"] })
        {
            Assert.Matches(WireTime, (string)time!);
        }
    }

    [Fact]
    public async Task The_partner_signing_secret_verifies_deliveries_to_a_per_request_webhook_url()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Per-request URL");
        var secret = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/signing-secret"), HttpStatusCode.OK);
        var key = (string)secret["key"]!;
        Assert.StartsWith("whsec_", key, StringComparison.Ordinal);
        Assert.Equal(key, (string)(await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/signing-secret"), HttpStatusCode.OK))["key"]!);
        await ApiBridge.ReadAsync(await api.Admin.GetAsync("/v1/signing-secret"), HttpStatusCode.Forbidden);

        api.Simulator.State.CreateJob(new JobSpec { RequestId = "per-request-1", EndpointKind = JobKind.Image, DurationMs = 200, Outcome = JobOutcome.Completed });
        await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "per-request-1", webhook_url = receiver.Url("per-request").ToString() }),
            HttpStatusCode.Accepted);
        await Eventually.HoldsAsync(() => receiver.On("/per-request").Count >= 1, TimeSpan.FromSeconds(20), () => "the per-request webhook never arrived");
        var delivered = receiver.On("/per-request")[0];
        new StandardWebhook(key).Verify(delivered.Body, delivered.Headers);

        // A rotation answers the new secret; the old one keeps signing for the overlap.
        var rotated = await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/signing-secret/rotate", null), HttpStatusCode.OK);
        Assert.NotEqual(key, (string)rotated["key"]!);
        Assert.Matches(WireTime, (string)rotated["previous_key_expires_at"]!);
    }

    private static HttpRequestMessage Post(string path, string? body, string contentType) => new(HttpMethod.Post, path)
    {
        Content = body is null ? new ByteArrayContent([]) { Headers = { ContentType = new(contentType) } } : new StringContent(body, Encoding.UTF8, contentType),
    };
}
