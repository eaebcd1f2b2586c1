using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.IntegrationTests.Streams;

/// <summary>Status streams against the real servers: PostgreSQL (with its notifications between replicas) and RabbitMQ.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class StatusStreamTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_waiting_client_gets_the_current_state_each_change_heartbeats_and_the_outcome_then_the_stream_closes()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, s => s["StatusStreams:HeartbeatInterval"] = "00:00:01");
        var partner = await api.CreatePartnerAsync("Streamer");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-push", DurationMs = 3000, Outcome = JobOutcome.Completed });
        await TrackAsync(partner, "sse-push");

        await using var stream = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-push/events");
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.Equal("text/event-stream", stream.ContentType);
        var events = await stream.ReadToEndAsync(Wait);

        var first = events[0];
        Assert.Equal("state", first.Type);
        Assert.Equal("sse-push", (string)first.Data["request_id"]!);
        Assert.Equal("tracking", (string)first.Data["state"]!);
        Assert.Contains(events, e => e.Type == "state" && (string?)e.Data["last_observation"] == "in_progress" && e.Id == "tracking.in_progress");
        var last = events[^1];
        Assert.Equal("outcome", last.Type);
        Assert.Equal("completed", last.Id);
        Assert.Equal("completed", (string)last.Data["state"]!);
        Assert.NotNull(last.Data["result"]);
        Assert.Single(events, e => e.Type == "outcome");
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.True(stream.Comments >= 1, "no heartbeat comment while the request was in progress");
        Assert.Equal(2000, stream.Retry);

        // The outcome's data is the API's request view.
        var view = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/tracked-requests/sse-push"), HttpStatusCode.OK);
        Assert.Equal(view.ToJsonString(), last.Data.ToJsonString());
    }

    [Fact]
    public async Task A_request_that_already_ended_answers_its_outcome_at_once_and_a_client_that_has_it_gets_204()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Late");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-done", DurationMs = 0, Outcome = JobOutcome.Error });
        await TrackAsync(partner, "sse-done");
        await WaitForStateAsync(partner, "sse-done", "failed");

        await using var stream = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-done/events");
        var events = await stream.ReadToEndAsync(Wait);
        var outcome = Assert.Single(events);
        Assert.Equal("outcome", outcome.Type);
        Assert.Equal("failed", outcome.Id);
        Assert.Equal("failed", (string)outcome.Data["state"]!);
        Assert.Equal("error", (string)outcome.Data["failure_reason"]!);

        // EventSource reconnects after a close; with the outcome's id it is told there is nothing more.
        await using var again = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-done/events", lastEventId: "failed");
        Assert.Equal(HttpStatusCode.NoContent, again.Status);
    }

    [Fact]
    public async Task Last_Event_ID_resumes_without_losing_the_outcome_stored_while_the_client_was_away()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Resumer");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-resume", DurationMs = 600_000, Outcome = JobOutcome.Completed });
        await TrackAsync(partner, "sse-resume");
        await WaitForObservationAsync(partner, "sse-resume", "in_progress");

        string lastId;
        await using (var first = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-resume/events"))
        {
            var state = (await first.NextAsync(Wait))!;
            Assert.Equal("tracking.in_progress", state.Id);
            lastId = state.Id!;
        }

        // Resuming with the current state's id sends nothing until the next change.
        var resumed = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-resume/events", lastId);
        Assert.Equal(HttpStatusCode.OK, resumed.Status);
        await resumed.DisposeAsync();

        // The outcome is stored while no client is connected (the cancel ends the only subscription, and the request).
        await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/tracked-requests/sse-resume/cancel", null), HttpStatusCode.OK);
        await using var back = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-resume/events", lastId);
        var events = await back.ReadToEndAsync(Wait);
        var outcome = Assert.Single(events);
        Assert.Equal("outcome", outcome.Type);
        Assert.Equal("cancelled", (string)outcome.Data["failure_reason"]!);
    }

    [Fact]
    public async Task A_resumed_stream_waits_for_the_next_change_and_gets_the_outcome()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var partner = await api.CreatePartnerAsync("Resumer2");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-resume-2", DurationMs = 2500, Outcome = JobOutcome.Completed });
        await TrackAsync(partner, "sse-resume-2");
        await WaitForObservationAsync(partner, "sse-resume-2", "in_progress");

        await using var stream = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-resume-2/events", "tracking.in_progress");
        var events = await stream.ReadToEndAsync(Wait);
        Assert.Equal("outcome", Assert.Single(events).Type);
    }

    [Fact]
    public async Task A_client_on_one_replica_gets_the_outcome_stored_by_the_other_and_a_stopping_replica_closes_its_streams()
    {
        Dictionary<string, string?> settings = [];
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, s =>
        {
            s["StatusStreams:HeartbeatInterval"] = "00:00:01";
            settings = new Dictionary<string, string?>(s);
        });
        var second = await BridgeHost.StartAsync(settings);
        var stopped = false;
        try
        {
            var partner = await api.CreatePartnerAsync("Two replicas");
            using var onSecond = new HttpClient { BaseAddress = second.BaseUrl };
            onSecond.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", partner.Key);
            api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-far", DurationMs = 600_000, Outcome = JobOutcome.Completed });
            api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-stop", DurationMs = 600_000, Outcome = JobOutcome.Completed });
            await TrackAsync(partner, "sse-far");
            await TrackAsync(partner, "sse-stop");
            await WaitForObservationAsync(partner, "sse-far", "in_progress");

            await using var stream = await SseClient.OpenAsync(onSecond, "/v1/tracked-requests/sse-far/events");
            Assert.Equal("state", (await stream.NextAsync(Wait))!.Type);

            // The outcome is stored by the first replica (the cancel through its API); the second hears it from PostgreSQL.
            await ApiBridge.ReadAsync(await partner.Client.PostAsync("/v1/tracked-requests/sse-far/cancel", null), HttpStatusCode.OK);
            var outcome = (await stream.NextAsync(Wait))!;
            Assert.Equal("outcome", outcome.Type);
            Assert.Equal("failed", (string)outcome.Data["state"]!);
            Assert.Null(await stream.NextAsync(Wait));

            // Stopping a replica ends its open streams at once (the client reconnects elsewhere), without waiting them out.
            await using var open = await SseClient.OpenAsync(onSecond, "/v1/tracked-requests/sse-stop/events");
            var state = (await open.NextAsync(Wait))!;
            var stopping = second.DisposeAsync().AsTask();
            stopped = true;
            Assert.Null(await open.NextAsync(TimeSpan.FromSeconds(10)));
            await stopping.WaitAsync(TimeSpan.FromSeconds(10));

            await using var elsewhere = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-stop/events", state.Id);
            Assert.Equal(HttpStatusCode.OK, elsewhere.Status);
        }
        finally
        {
            if (!stopped)
            {
                await second.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_partner_cannot_stream_or_get_a_token_for_another_partners_request()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres);
        var a = await api.CreatePartnerAsync("A");
        var b = await api.CreatePartnerAsync("B");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-a", DurationMs = 600_000, Outcome = JobOutcome.Completed });
        await TrackAsync(a, "sse-a");

        await using var byB = await SseClient.OpenAsync(b.Client, "/v1/tracked-requests/sse-a/events");
        Assert.Equal(HttpStatusCode.NotFound, byB.Status);
        Assert.Contains("sse-a", (string)(await byB.ReadProblemAsync())["detail"]!, StringComparison.Ordinal);
        await ApiBridge.ReadAsync(await b.Client.PostAsync("/v1/tracked-requests/sse-a/stream-tokens", null), HttpStatusCode.NotFound);

        // A's token opens A's stream of that one request, for a browser that holds no key.
        var token = await ApiBridge.ReadAsync(await a.Client.PostAsync("/v1/tracked-requests/sse-a/stream-tokens", null), HttpStatusCode.OK);
        var eventsUrl = (string)token["events_url"]!;
        Assert.DoesNotContain(a.Key, eventsUrl, StringComparison.Ordinal);
        var browser = api.CreateClient(null);
        await using (var opened = await SseClient.OpenAsync(browser, eventsUrl))
        {
            Assert.Equal(HttpStatusCode.OK, opened.Status);
            Assert.Equal("sse-a", (string)(await opened.NextAsync(Wait))!.Data["request_id"]!);
        }

        // ... and nothing else: not another request, not with a forged token, not without one.
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-a2", DurationMs = 600_000, Outcome = JobOutcome.Completed });
        await TrackAsync(a, "sse-a2");
        var other = await browser.GetAsync($"/v1/tracked-requests/sse-a2/events?access_token={Uri.EscapeDataString((string)token["token"]!)}");
        var refused = await ApiBridge.ReadAsync(other, HttpStatusCode.Unauthorized);
        Assert.Contains("another request", (string)refused["detail"]!, StringComparison.Ordinal);
        await ApiBridge.ReadAsync(await browser.GetAsync("/v1/tracked-requests/sse-a/events?access_token=forged"), HttpStatusCode.Unauthorized);
        await ApiBridge.ReadAsync(await browser.GetAsync("/v1/tracked-requests/sse-a/events"), HttpStatusCode.Unauthorized);
        await ApiBridge.ReadAsync(await browser.PostAsync("/v1/tracked-requests/sse-a/stream-tokens", null), HttpStatusCode.Unauthorized);
        // B's own key with A's token still sees only B's account.
        await using var mixed = await SseClient.OpenAsync(b.Client, eventsUrl);
        Assert.Equal(HttpStatusCode.NotFound, mixed.Status);
    }

    [Fact]
    public async Task Past_the_open_stream_limit_a_partner_gets_429_ProblemDetails_and_a_slot_frees_when_a_stream_closes()
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, s => s["StatusStreams:MaxStreamsPerPartner"] = "2");
        var a = await api.CreatePartnerAsync("Greedy");
        var b = await api.CreatePartnerAsync("Other");
        api.Simulator.State.CreateJob(new JobSpec { RequestId = "sse-limit", DurationMs = 600_000, Outcome = JobOutcome.Completed });
        await TrackAsync(a, "sse-limit");
        await TrackAsync(b, "sse-limit");

        var first = await SseClient.OpenAsync(a.Client, "/v1/tracked-requests/sse-limit/events");
        await using var second = await SseClient.OpenAsync(a.Client, "/v1/tracked-requests/sse-limit/events");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);

        await using (var third = await SseClient.OpenAsync(a.Client, "/v1/tracked-requests/sse-limit/events"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
            var problem = await third.ReadProblemAsync();
            Assert.Equal(429, (int)problem["status"]!);
            Assert.Contains("2 open status streams", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        // The limit is per partner: another partner streams the same request.
        await using (var other = await SseClient.OpenAsync(b.Client, "/v1/tracked-requests/sse-limit/events"))
        {
            Assert.Equal(HttpStatusCode.OK, other.Status);
        }

        await first.DisposeAsync();
        var hub = api.Bridge.Services.GetRequiredService<StatusStreamHub>();
        await Eventually.HoldsAsync(() => hub.OpenStreams == 1, Wait, () => $"{hub.OpenStreams} streams still open");
        await using var again = await SseClient.OpenAsync(a.Client, "/v1/tracked-requests/sse-limit/events");
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    private static async Task TrackAsync(TestPartner partner, string requestId) =>
        await ApiBridge.ReadAsync(await partner.Client.PostAsJsonAsync("/v1/tracked-requests", new { request_id = requestId }), HttpStatusCode.Accepted);

    private static Task WaitForStateAsync(TestPartner partner, string requestId, string state) =>
        Eventually.HoldsAsync(
            async () => (string?)(await ApiBridge.ReadAsync(await partner.Client.GetAsync($"/v1/tracked-requests/{requestId}"), HttpStatusCode.OK))["state"] == state,
            Wait,
            () => $"{requestId} never reached {state}");

    private static Task WaitForObservationAsync(TestPartner partner, string requestId, string observation) =>
        Eventually.HoldsAsync(
            async () => (string?)(await ApiBridge.ReadAsync(await partner.Client.GetAsync($"/v1/tracked-requests/{requestId}"), HttpStatusCode.OK))["last_observation"] == observation,
            Wait,
            () => $"{requestId} was never observed {observation}");
}
