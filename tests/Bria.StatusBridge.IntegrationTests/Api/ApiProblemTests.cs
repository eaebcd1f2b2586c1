using System.Net;
using System.Net.Http.Json;
using System.Text;
using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Api;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class ApiProblemTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Missing_unknown_and_revoked_keys_answer_401_and_the_wrong_kind_of_key_403()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Keys");

        var anonymous = api.CreateClient(null);
        foreach (var path in new[] { "/v1/webhook-endpoints", "/v1/admin/partners", "/v1/tracked-requests/x" })
        {
            var response = await anonymous.GetAsync(path);
            var problem = await ApiBridge.ReadAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("Authorization: Bearer", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        var unknown = await ApiBridge.ReadAsync(await api.CreateClient("sbk_not-a-key").GetAsync("/v1/webhook-endpoints"), HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", (string)unknown["detail"]!, StringComparison.Ordinal);
        await ApiBridge.ReadAsync(await api.CreateClient("wrong-operator-key-0123456789").GetAsync("/v1/admin/partners"), HttpStatusCode.Unauthorized);

        // The X-Api-Key header works as well as Authorization: Bearer.
        var viaHeader = api.CreateClient(partner.Key, asApiKeyHeader: true);
        await ApiBridge.ReadAsync(await viaHeader.GetAsync("/v1/webhook-endpoints"), HttpStatusCode.OK);

        var forbidden = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/admin/partners"), HttpStatusCode.Forbidden);
        Assert.Contains("operator key", (string)forbidden["detail"]!, StringComparison.Ordinal);
        await ApiBridge.ReadAsync(await api.Admin.GetAsync("/v1/webhook-endpoints"), HttpStatusCode.Forbidden);

        var revoked = await ApiBridge.ReadAsync(await api.Admin.PostAsync($"/v1/admin/partners/{partner.PartnerId}/keys/{partner.KeyId}/revoke", null), HttpStatusCode.OK);
        Assert.NotNull(revoked["revoked_at"]);
        foreach (var client in new[] { partner.Client, viaHeader })
        {
            var refused = await ApiBridge.ReadAsync(await client.GetAsync("/v1/webhook-endpoints"), HttpStatusCode.Unauthorized);
            Assert.Contains("revoked", (string)refused["detail"]!, StringComparison.Ordinal);
        }

        // A new key works; the admin list shows both, the revoked one marked.
        var fresh = await ApiBridge.ReadAsync(await api.Admin.PostAsJsonAsync($"/v1/admin/partners/{partner.PartnerId}/keys", new { name = "second" }), HttpStatusCode.Created);
        await ApiBridge.ReadAsync(await api.CreateClient((string)fresh["key"]!).GetAsync("/v1/webhook-endpoints"), HttpStatusCode.OK);
        var keys = await ApiBridge.ReadAsync(await api.Admin.GetAsync($"/v1/admin/partners/{partner.PartnerId}/keys"), HttpStatusCode.OK);
        Assert.Equal(2, keys["data"]!.AsArray().Count);
        Assert.Single(keys["data"]!.AsArray(), k => k!["revoked_at"] is not null);
        await ApiBridge.ReadAsync(await api.Admin.GetAsync("/v1/admin/partners/prt_unknown/keys"), HttpStatusCode.NotFound);
        await ApiBridge.ReadAsync(await api.Admin.PostAsync($"/v1/admin/partners/{partner.PartnerId}/keys/key_unknown/revoke", null), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string, string?, string, string> BadInputs() => new()
    {
        // method, path ({endpoint} is replaced), body, field or word the answer must name, why
        { "POST", "/v1/admin/partners", "{}", "name", "partner without a name" },
        { "POST", "/v1/webhook-endpoints", "{}", "event_types", "endpoint without url or event types" },
        { "POST", "/v1/webhook-endpoints", """{"url":"not a url","event_types":["request.completed"]}""", "absolute http or https URL", "relative URL" },
        { "POST", "/v1/webhook-endpoints", """{"url":"ftp://example.com/x","event_types":["request.completed"]}""", "absolute http or https URL", "ftp URL" },
        { "POST", "/v1/webhook-endpoints", """{"url":"https://example.com/x","event_types":["request.done"]}""", "request.completed, request.failed", "unknown event type" },
        { "POST", "/v1/webhook-endpoints", """{"url":"https://example.com/x","event_types":[]}""", "at least one event type", "no event type" },
        { "POST", "/v1/webhook-endpoints", """{"url":"http://10.1.2.3/x","event_types":["request.completed"]}""", "10.0.0.0/8", "private address, named by its rule" },
        { "POST", "/v1/webhook-endpoints", """{"url":"http://169.254.169.254/latest","event_types":["request.completed"]}""", "169.254.0.0/16", "metadata address" },
        { "POST", "/v1/webhook-endpoints", """{"url":"http://[::ffff:10.0.0.1]/x","event_types":["request.completed"]}""", "IPv4-mapped", "IPv4-mapped private address" },
        { "POST", "/v1/webhook-endpoints", """{"url":"https://user:pw@example.com/x","event_types":["request.completed"]}""", "user name and password", "credentials in the URL" },
        { "POST", "/v1/webhook-endpoints", """{"url":"https://example.com/x","event_types":["request.completed"],"partner_id":"prt_x"}""", "partner_id", "a field the call does not take" },
        { "POST", "/v1/webhook-endpoints", """{"url":""", "JSON body could not be read", "truncated JSON" },
        { "POST", "/v1/webhook-endpoints", """{"url":42,"event_types":["request.completed"]}""", "$.url", "a number for a string" },
        { "PATCH", "/v1/webhook-endpoints/{endpoint}", "{}", "at least one of url, event_types or description", "empty update" },
        { "POST", "/v1/webhook-endpoints/{endpoint}/recover", "{}", "since", "recover without since" },
        { "POST", "/v1/webhook-endpoints/{endpoint}/recover", """{"since":"2999-01-01T00:00:00Z"}""", "in the past", "recover from the future" },
        { "GET", "/v1/webhook-endpoints/{endpoint}/deliveries?state=lost", null, "pending, delivered or failed", "unknown state" },
        { "GET", "/v1/webhook-endpoints/{endpoint}/deliveries?event_type=x", null, "request.completed", "unknown event type filter" },
        { "GET", "/v1/webhook-endpoints/{endpoint}/deliveries?limit=0", null, "between 1 and 250", "limit too small" },
        { "GET", "/v1/webhook-endpoints/{endpoint}/deliveries?limit=many", null, "'limit'", "limit not a number" },
        { "GET", "/v1/webhook-endpoints/{endpoint}/deliveries?since=yesterday", null, "ISO 8601", "since not a time" },
        { "GET", "/v1/webhook-endpoints/{endpoint}/deliveries?cursor=bogus", null, "next_cursor", "a cursor the API did not issue" },
        { "POST", "/v1/tracked-requests", "{}", "request_id", "no request id" },
        { "POST", "/v1/tracked-requests", """{"request_id":"a b"}""", "request_id 'a b' is not a Bria request id", "request id with a space" },
        { "POST", "/v1/tracked-requests", """{"request_id":"r1","deadline":"2000-01-01T00:00:00Z"}""", "deadline", "deadline in the past" },
        { "POST", "/v1/tracked-requests", """{"request_id":"r1","endpoint_kind":"Audio"}""", "$.endpoint_kind", "unknown endpoint kind" },
        { "POST", "/v1/tracked-requests", """{"request_id":"r1","webhook_url":"http://127.0.0.2/x"}""", "127.0.0.0/8", "per-request webhook to loopback outside the allow-list" },
        { "POST", "/v1/tracked-requests", """{"request_id":"r1","status_url":"https://elsewhere.example/v2/status/r1"}""", "status_url", "status URL of another host" },
        { "POST", "/v1/tracked-requests", """{"request_id":"r1","partner_id":"prt_other"}""", "partner", "partner id in the body" },
    };

    [Fact]
    public async Task Bad_input_answers_400_ProblemDetails_that_say_what_to_fix()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Inputs");
        var endpoint = await ApiBridge.ReadAsync(
            await partner.Client.PostAsJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/x", event_types = new[] { "request.completed" } }),
            HttpStatusCode.Created);
        var endpointId = (string)endpoint["endpoint_id"]!;

        var failures = new StringBuilder();
        foreach (var row in BadInputs())
        {
            var (method, path, body, expected, why) = ((string)row[0], (string)row[1], (string?)row[2], (string)row[3], (string)row[4]);
            var client = path.StartsWith("/v1/admin", StringComparison.Ordinal) ? api.Admin : partner.Client;
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{endpoint}", endpointId, StringComparison.Ordinal));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || !text.Contains(expected, StringComparison.Ordinal)
                || !text.Contains("\"detail\"", StringComparison.Ordinal))
            {
                failures.AppendLine($"{why}: {method} {path} {body} -> {(int)response.StatusCode} {text} (expected 400 naming '{expected}')");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }
}
