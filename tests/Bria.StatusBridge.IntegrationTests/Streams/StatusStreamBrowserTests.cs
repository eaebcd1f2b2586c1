using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.IntegrationTests.Portal;

namespace Bria.StatusBridge.IntegrationTests.Streams;

/// <summary>The browser path in a real browser: a page that holds no API key opens the stream with
/// <c>EventSource</c> and a stream token, and gets each state and the outcome.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class StatusStreamBrowserTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task EventSource_in_a_browser_gets_the_outcome_with_a_stream_token_and_no_API_key()
    {
        var bria = new JobCue();
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, simulatorOptions: bria.Configure);
        var partner = await api.CreatePartnerAsync("Browser");
        api.Simulator.State.CreateJob(JobCue.Job("sse-browser"));
        await ApiBridge.ReadAsync(await partner.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = "sse-browser" }), HttpStatusCode.Accepted);
        var token = await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/tracked-requests/sse-browser/stream-tokens", null), HttpStatusCode.OK);
        var eventsUrl = (string)token["events_url"]!;

        await using var browser = await PortalBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        // A page on the bridge's origin, as a partner's site behind the same proxy would be.
        await page.GotoAsync(new Uri(api.Bridge.BaseUrl, "/openapi/v1.json").ToString());
        await page.EvaluateAsync(
            """
            url => {
              window.seen = [];
              window.done = new Promise(resolve => {
                const source = new EventSource(url);
                source.addEventListener("state", e => window.seen.push({ type: "state", id: e.lastEventId, data: JSON.parse(e.data) }));
                source.addEventListener("outcome", e => {
                  window.seen.push({ type: "outcome", id: e.lastEventId, data: JSON.parse(e.data) });
                  source.close();
                  resolve(JSON.stringify(window.seen));
                });
              });
            }
            """,
            eventsUrl);
        await page.WaitForFunctionAsync("() => window.seen.some(e => e.type === 'state')");

        // Bria finishes the job now; the bridge's next poll stores the outcome, and the page is told.
        bria.EndJobs();
        var received = await page.EvaluateAsync<string>("() => window.done");

        var events = JsonNode.Parse(received)!.AsArray();
        Assert.Equal("state", (string)events[0]!["type"]!);
        Assert.Equal("sse-browser", (string)events[0]!["data"]!["request_id"]!);
        var outcome = events[^1]!;
        Assert.Equal("outcome", (string)outcome["type"]!);
        Assert.Equal("completed", (string)outcome["id"]!);
        Assert.Equal("completed", (string)outcome["data"]!["state"]!);
        Assert.NotNull(outcome["data"]!["result"]);
        Assert.DoesNotContain(partner.Key, received, StringComparison.Ordinal);
        Assert.DoesNotContain(partner.Key, eventsUrl, StringComparison.Ordinal);
    }
}
