using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bria.StatusBridge.IntegrationTests.Api;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator;
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
        var bria = new JobCue();
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, simulatorOptions: bria.Configure);
        var partner = await api.CreatePartnerAsync("Resumer");
        api.Simulator.State.CreateJob(JobCue.Job("sse-resume"));
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

        // Bria finishes the job while no client is connected, and the bridge's next poll stores the outcome.
        bria.EndJobs();
        await WaitForStateAsync(partner, "sse-resume", "completed");
        await using var back = await SseClient.OpenAsync(partner.Client, "/v1/tracked-requests/sse-resume/events", lastId);
        var events = await back.ReadToEndAsync(Wait);
        var outcome = Assert.Single(events);
        Assert.Equal("outcome", outcome.Type);
        Assert.Equal("completed", outcome.Id);
        Assert.NotNull(outcome.Data["result"]);
        var view = await ApiBridge.ReadAsync(await partner.Client.GetAsync("/v1/tracked-requests/sse-resume"), HttpStatusCode.OK);
        Assert.Equal(view.ToJsonString(), outcome.Data.ToJsonString());
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
        var bria = new JobCue();
        Dictionary<string, string?> settings = [];
        await using var api = await ApiBridge.StartAsync(
            rabbit,
            postgres,
            s =>
            {
                s["StatusStreams:HeartbeatInterval"] = "00:00:01";
                settings = new Dictionary<string, string?>(s);
            },
            bria.Configure);

        // The second replica polls the same requests, but from a Bria whose jobs never finish: it keeps seeing
        // IN_PROGRESS, so only the first replica can store the outcome, and the second can only hear of it from PostgreSQL.
        await using var unfinished = await SimulatorHost.StartAsync();
        settings["Bria:BaseUrl"] = unfinished.BaseUrl.ToString();
        settings["Bria:ApiToken"] = unfinished.ApiToken;
        var second = await BridgeHost.StartAsync(settings);
        var stopped = false;
        try
        {
            var partner = await api.CreatePartnerAsync("Two replicas");
            using var onSecond = new HttpClient { BaseAddress = second.BaseUrl };
            onSecond.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", partner.Key);
            api.Simulator.State.CreateJob(JobCue.Job("sse-far"));
            api.Simulator.State.CreateJob(JobCue.Unending("sse-stop"));
            unfinished.State.CreateJob(JobCue.Unending("sse-far"));
            unfinished.State.CreateJob(JobCue.Unending("sse-stop"));
            await TrackAsync(partner, "sse-far");
            await TrackAsync(partner, "sse-stop");
            await WaitForObservationAsync(partner, "sse-far", "in_progress");
            await Eventually.HoldsAsync(
                () => unfinished.State.GetStats().Requests.TryGetValue("sse-far", out var polled) && polled.Count > 0,
                Wait,
                () => "the second replica never polled sse-far");

            await using var stream = await SseClient.OpenAsync(onSecond, "/v1/tracked-requests/sse-far/events");
            Assert.Equal("tracking.in_progress", (await stream.NextAsync(Wait))!.Id);

            // Bria finishes the job; the first replica's poll stores the outcome, and the second replica's stream sends it.
            bria.EndJobs();
            var outcome = (await stream.NextAsync(Wait))!;
            Assert.Equal("outcome", outcome.Type);
            Assert.Equal("completed", outcome.Id);
            Assert.Equal("completed", (string)outcome.Data["state"]!);
            Assert.NotNull(outcome.Data["result"]);
            Assert.Null(await stream.NextAsync(Wait));
            Assert.False(unfinished.State.GetStats().Requests["sse-far"].FirstTerminalReadAt.HasValue);

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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stream_ends_with_a_cancelled_event_when_its_partner_cancels_and_other_waiters_keep_theirs(bool notifyOnCancel)
    {
        await using var api = await ApiBridge.StartAsync(rabbit, postgres, s => s["Tracking:NotifyOnCancel"] = notifyOnCancel ? "true" : "false");
        var a = await api.CreatePartnerAsync("Leaves");
        var b = await api.CreatePartnerAsync("Stays");
        api.Simulator.State.CreateJob(JobCue.Unending("sse-cancel"));
        await TrackAsync(a, "sse-cancel");
        await TrackAsync(b, "sse-cancel");
        await WaitForObservationAsync(a, "sse-cancel", "in_progress");

        await using var leaving = await SseClient.OpenAsync(a.Client, "/v1/tracked-requests/sse-cancel/events");
        await using var staying = await SseClient.OpenAsync(b.Client, "/v1/tracked-requests/sse-cancel/events");
        Assert.Equal("tracking.in_progress", (await leaving.NextAsync(Wait))!.Id);
        Assert.Equal("tracking.in_progress", (await staying.NextAsync(Wait))!.Id);

        // A's stream waits for A's subscription: when A cancels it, the stream says so and closes; B's goes on.
        await ApiBridge.ReadAsync(await a.Client.PostAsync("/v1/tracked-requests/sse-cancel/cancel", null), HttpStatusCode.OK);
        var events = await leaving.ReadToEndAsync(Wait);
        var cancelled = Assert.Single(events);
        Assert.Equal("cancelled", cancelled.Type);
        Assert.Equal("cancelled", cancelled.Id);
        Assert.Equal("tracking", (string)cancelled.Data["state"]!);
        var hub = api.Bridge.Services.GetRequiredService<StatusStreamHub>();
        await Eventually.HoldsAsync(() => hub.OpenStreams == 1, Wait, () => $"{hub.OpenStreams} streams open, B's only expected");

        // Once B cancels too, the request pauses (no outcome) and B's stream ends the same way; a reconnect is told to stop.
        await ApiBridge.ReadAsync(await b.Client.PostAsync("/v1/tracked-requests/sse-cancel/cancel", null), HttpStatusCode.OK);
        Assert.Equal("cancelled", Assert.Single(await staying.ReadToEndAsync(Wait)).Type);
        await using var again = await SseClient.OpenAsync(a.Client, "/v1/tracked-requests/sse-cancel/events", lastEventId: "cancelled");
        Assert.Equal(HttpStatusCode.NoContent, again.Status);
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
