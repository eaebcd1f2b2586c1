using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.IntegrationTests.Tracking;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator.Webhooks;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.IntegrationTests.BriaPush;

/// <summary>Bria's own signed webhooks against a real bridge, RabbitMQ and store: pushes from the simulator and posts
/// signed by the test (from the spec), every signature rule, early webhooks, duplicates, and the safety schedule.</summary>
public abstract class BriaPushTests(RabbitMqFixture rabbit, BridgeEnvironment environment) : BridgeScenarioTests(rabbit, environment)
{
    protected Uri WebhookUrl => new(Env.Bridge.BaseUrl, "v1/bria/webhooks");

    protected string Provider => Env.Settings["Persistence:Provider"]!;

    protected string ConnectionString => Env.Settings["ConnectionStrings:StatusBridge"]!;

    [Fact]
    public async Task A_pushed_outcome_ends_the_request_without_a_status_call()
    {
        var id = NewRequestId("pushed");
        Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, EndpointKind = JobKind.Image, DurationMs = 500, Outcome = JobOutcome.Completed, WebhookUrl = WebhookUrl,
        });
        var command = Command(id) with { BriaPushes = true };

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        Assert.Equal(0, StatusCalls(id));
    }

    [Fact]
    public async Task A_pushed_failure_with_a_string_error_code_publishes_RequestFailed_with_that_code()
    {
        var id = NewRequestId("pushed-error");
        Env.Simulator.State.SetWebhookSettings(new WebhookSettings { StringErrorCode = true, RequestIds = [id] });
        try
        {
            Env.Simulator.State.CreateJob(new JobSpec
            {
                RequestId = id, EndpointKind = JobKind.Image, DurationMs = 300, Outcome = JobOutcome.Error, WebhookUrl = WebhookUrl,
            });
            await TrackAsync(Command(id) with { BriaPushes = true });
            var failed = await FailedAsync(id);

            Assert.Equal(FailureReason.Error, failed.Reason);
            Assert.Equal("VALIDATION_ERROR", failed.Error?.Code);
            Assert.Equal(0, StatusCalls(id));
        }
        finally
        {
            Env.Simulator.State.ClearWebhookSettings();
        }
    }

    [Fact]
    public async Task A_webhook_before_its_TrackRequest_waits_and_answers_the_subscriber_at_once_without_a_status_call()
    {
        var id = NewRequestId("early");
        Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, EndpointKind = JobKind.Image, DurationMs = 0, Outcome = JobOutcome.Completed, WebhookUrl = WebhookUrl,
        });
        await Eventually.HoldsAsync(
            async () => await EarlyRowsAsync(id) == 1, TimeSpan.FromSeconds(15), () => $"The webhook for {id} was not kept.");

        await TrackAsync(Command(id) with { BriaPushes = true });
        var completed = await CompletedAsync(id);

        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        Assert.Equal(0, StatusCalls(id));
        Assert.Equal(0, await EarlyRowsAsync(id));
    }

    [Fact]
    public async Task A_webhook_before_a_TrackRequest_without_the_flag_still_ends_it()
    {
        var id = NewRequestId("early-unflagged");
        using var client = new HttpClient();
        Assert.Equal("kept_early", await PostAsync(client, BriaWebhookPost.Completed(id), id));

        await TrackAsync(Command(id));
        await CompletedAsync(id);

        Assert.Equal(0, StatusCalls(id));
    }

    [Fact]
    public async Task Duplicate_webhooks_change_nothing()
    {
        var id = NewRequestId("duplicate");
        CreateJob(id, JobOutcome.Completed, durationMs: 600_000);
        await TrackedAsync(Command(id) with { BriaPushes = true });
        using var client = new HttpClient();

        var first = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostAsync(client, BriaWebhookPost.Completed(id), id)));
        var later = await PostAsync(client, BriaWebhookPost.Completed(id), id);

        Assert.Equal(["already_ended", "already_ended", "ended"], first.Order(StringComparer.Ordinal));
        Assert.Equal("already_ended", later);
        await Env.Outcomes.WaitForAsync(id, 1, EventTimeout);
        await Eventually.HoldsAsync(
            async () => await StoreQueries.ScalarAsync(Provider, ConnectionString, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") == 0,
            TimeSpan.FromSeconds(15),
            () => "The outbox did not drain.");
        Assert.Single(Env.Outcomes.For(id));
        Assert.Equal(1, await StoreQueries.ScalarAsync(Provider, ConnectionString, $"SELECT COUNT(*) FROM outbox WHERE request_id = '{id}'"));
    }

    [Theory]
    [InlineData("missing_header", 400)]
    [InlineData("invalid_timestamp", 400)]
    [InlineData("stale_timestamp", 401)]
    [InlineData("future_timestamp", 401)]
    [InlineData("bad_signature", 401)]
    [InlineData("body_too_large", 413)]
    [InlineData("unreadable_body", 400)]
    [InlineData("id_mismatch", 400)]
    public async Task A_post_that_breaks_a_rule_is_refused_with_a_problem_naming_it_and_changes_nothing(string broken, int status)
    {
        var id = NewRequestId("refused");
        CreateJob(id, JobOutcome.Completed, durationMs: 600_000);
        await TrackedAsync(Command(id) with { BriaPushes = true });
        var token = Env.Simulator.ApiToken;
        var body = BriaWebhookPost.Completed(id);
        var old = (TimeProvider.System.GetUtcNow() - TimeSpan.FromMinutes(6)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var ahead = (TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(6)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = broken switch
        {
            "missing_header" => WithoutSignature(BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, body)),
            "invalid_timestamp" => BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, body, timestamp: "yesterday"),
            "stale_timestamp" => BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, body, timestamp: old),
            "future_timestamp" => BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, body, timestamp: ahead),
            "bad_signature" => BriaWebhookPost.Create(Env.Bridge.BaseUrl, "not-the-token", id, body),
            "body_too_large" => BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, body + new string(' ', 1024 * 1024)),
            "unreadable_body" => BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, $$"""{"request_id":"{{id}}","state":"done"}"""),
            _ => BriaWebhookPost.Create(Env.Bridge.BaseUrl, token, id, BriaWebhookPost.Completed(id + "-other")),
        };
        // A body over the limit is offered first (Expect: 100-continue), as a careful sender does: Kestrel answers 413
        // on its Content-Length before asking for the body. Sent at once, the body could still be on its way when the
        // server closed the connection after its answer, and the client saw a broken pipe instead of the 413.
        request.Headers.ExpectContinue = broken == "body_too_large";
        using var client = new HttpClient();

        using var response = await client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rule = broken == "future_timestamp" ? "stale_timestamp" : broken;
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain(token, problem.GetRawText(), StringComparison.Ordinal);
        var view = await Env.Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(TrackingState.Tracking, view?.State);
        Assert.Equal(0, await EarlyRowsAsync(id));
    }

    [Fact]
    public async Task A_signature_made_with_a_previous_token_is_accepted_and_one_made_with_an_unknown_token_is_not()
    {
        var id = NewRequestId("rotation");
        CreateJob(id, JobOutcome.Completed, durationMs: 600_000);
        await TrackedAsync(Command(id) with { BriaPushes = true });
        using var client = new HttpClient();

        using (var unknown = BriaWebhookPost.Create(Env.Bridge.BaseUrl, "never-configured-token", id, BriaWebhookPost.Completed(id)))
        using (var refused = await client.SendAsync(unknown))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Several tokens, as Bria may send during its own rotation: one bad, one made with the previous token.
        var body = Encoding.UTF8.GetBytes(BriaWebhookPost.Completed(id));
        var timestamp = BriaWebhookPost.Now();
        var signature = $"v1=AAAA, {BriaWebhookPost.Signature(BriaPushSettings.PreviousToken, id, timestamp, body)}";
        using var previous = BriaWebhookPost.Create(Env.Bridge.BaseUrl, "", id, BriaWebhookPost.Completed(id), timestamp, signature);
        using var accepted = await client.SendAsync(previous);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await CompletedAsync(id);
    }

    [Fact]
    public async Task A_lost_push_is_found_by_the_safety_schedule()
    {
        var id = NewRequestId("lost");
        Env.Simulator.State.SetWebhookSettings(new WebhookSettings { LossRate = 1, RequestIds = [id] });
        try
        {
            var job = Env.Simulator.State.CreateJob(new JobSpec
            {
                RequestId = id, EndpointKind = JobKind.Image, DurationMs = 300, Outcome = JobOutcome.Completed, WebhookUrl = WebhookUrl,
            });
            var trackedAt = Now();
            await TrackAsync(Command(id) with { BriaPushes = true });
            var outcome = Assert.Single(await Env.Outcomes.WaitForAsync(id, 1, TimeSpan.FromSeconds(30)));

            Assert.NotNull(outcome.Completed);
            Assert.Equal(1, Env.Simulator.State.GetStats().Webhooks.Lost);
            // Not before the safety schedule's first poll, and with a single status call.
            Assert.True(outcome.Completed.NoticedAt >= trackedAt + BriaPushSettings.ImageSafetyDelay - TimeSpan.FromMilliseconds(50),
                $"Noticed at {outcome.Completed.NoticedAt:O}, tracked at {trackedAt:O}: polled before the safety schedule.");
            Assert.Equal(1, StatusCalls(id));
            Assert.True(job.FinishesAt < outcome.Completed.NoticedAt);
        }
        finally
        {
            Env.Simulator.State.ClearWebhookSettings();
        }
    }

    [Fact]
    public async Task A_non_terminal_webhook_makes_its_request_due_now()
    {
        var id = NewRequestId("hint");
        CreateJob(id, JobOutcome.Completed, durationMs: 600_000, kind: JobKind.Video);
        // Video's safety schedule first polls after a minute: a poll within seconds comes from the hint.
        await TrackedAsync(Command(id, EndpointKind.Video) with { BriaPushes = true });
        using var client = new HttpClient();

        Assert.Equal("poll_now", await PostAsync(client, BriaWebhookPost.InProgress(id), id));

        await Eventually.HoldsAsync(() => StatusCalls(id) == 1, TimeSpan.FromSeconds(15), () => $"{id} was not polled after the hint.");
        var view = await Env.Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(TrackingState.Tracking, view?.State);
    }

    [Fact]
    public async Task Early_webhooks_are_bounded_in_number_and_the_oldest_go_first()
    {
        // Posts within one millisecond tie on their time and go in id order: the ids sort as they are posted.
        var run = Guid.NewGuid().ToString("N");
        var ids = Enumerable.Range(0, BriaPushSettings.EarlyLimit + 2).Select(i => $"bounded-{run}-{i}").ToList();
        using var client = new HttpClient();
        foreach (var id in ids)
        {
            Assert.Equal("kept_early", await PostAsync(client, BriaWebhookPost.Completed(id), id));
        }

        var kept = new List<string>();
        foreach (var id in ids)
        {
            if (await EarlyRowsAsync(id) == 1)
            {
                kept.Add(id);
            }
        }

        Assert.True(await StoreQueries.ScalarAsync(Provider, ConnectionString, "SELECT COUNT(*) FROM early_bria_webhooks") <= BriaPushSettings.EarlyLimit);
        Assert.Equal(ids.TakeLast(kept.Count), kept);
        Assert.InRange(kept.Count, 1, BriaPushSettings.EarlyLimit);
        Assert.Contains(ids[^1], kept);
        Assert.DoesNotContain(ids[0], kept);
    }

    /// <summary>Posts a webhook signed with the simulator's token and answers the bridge's <c>result</c>.</summary>
    protected async Task<string> PostAsync(HttpClient client, string body, string id, Uri? bridge = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = BriaWebhookPost.Create(bridge ?? Env.Bridge.BaseUrl, Env.Simulator.ApiToken, id, body);
        using var response = await client.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {answer}");
        return JsonDocument.Parse(answer).RootElement.GetProperty("result").GetString()!;
    }

    /// <summary>Tracks the request and waits until it is stored.</summary>
    protected async Task TrackedAsync(TrackRequest command)
    {
        ArgumentNullException.ThrowIfNull(command);
        await TrackAsync(command);
        await Eventually.HoldsAsync(
            async () => await Env.Store.GetAsync(command.RequestId, CancellationToken.None) is not null,
            TimeSpan.FromSeconds(15),
            () => $"{command.RequestId} was not tracked.");
    }

    protected Task<long> EarlyRowsAsync(string id) =>
        StoreQueries.ScalarAsync(Provider, ConnectionString, $"SELECT COUNT(*) FROM early_bria_webhooks WHERE request_id = '{id}'");

    private static HttpRequestMessage WithoutSignature(HttpRequestMessage request)
    {
        request.Headers.Remove("Bria-Webhook-Signature");
        return request;
    }
}
