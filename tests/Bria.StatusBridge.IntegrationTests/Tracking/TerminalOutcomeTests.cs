using System.Text.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Faults;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>One scenario per row of the terminal outcome table: a <see cref="TrackRequest"/> on RabbitMQ, the
/// simulator scripted to answer that way, and every field of the event the bridge publishes.</summary>
public abstract class TerminalOutcomeTests(RabbitMqFixture rabbit, BridgeEnvironment environment) : BridgeScenarioTests(rabbit, environment)
{
    [Fact]
    public async Task Completed_image_publishes_RequestCompleted_with_image_url_seed_sent_as_text_and_both_prompts()
    {
        var id = NewRequestId("image");
        var job = Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, EndpointKind = JobKind.Image, DurationMs = 300, Outcome = JobOutcome.Completed,
            Seed = 90210, SeedAsString = true, Prompt = "red bicycle",
        });
        var command = Command(id) with { StatusUrl = new Uri(Env.Simulator.BaseUrl, $"v2/status/{id}"), PartnerId = "partner-7" };
        var trackedAt = Now();

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        Assert.Equal(90210L, completed.Result.Seed);
        Assert.Equal("red bicycle", completed.Result.Prompt);
        Assert.Equal("red bicycle, refined", completed.Result.RefinedPrompt);
        Assert.Null(completed.Result.VideoUrl);
        Assert.Null(completed.Result.StructuredPrompt);
        Assert.Null(completed.Result.Extra);
        AssertTimes(completed.FinishedAt, completed.NoticedAt, job.FinishesAt, trackedAt);
    }

    [Fact]
    public async Task Completed_video_publishes_RequestCompleted_with_video_url()
    {
        var id = NewRequestId("video");
        var job = Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, EndpointKind = JobKind.Video, DurationMs = 400, Outcome = JobOutcome.Completed,
        });
        var command = Command(id, EndpointKind.Video);
        var trackedAt = Now();

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.Equal(new Uri($"https://temp.example/{id}.mp4"), completed.Result.VideoUrl);
        Assert.Null(completed.Result.ImageUrl);
        Assert.Null(completed.Result.StructuredPrompt);
        Assert.Null(completed.Result.Seed);
        Assert.Null(completed.Result.Extra);
        AssertTimes(completed.FinishedAt, completed.NoticedAt, job.FinishesAt, trackedAt);
    }

    [Fact]
    public async Task Completed_structured_prompt_publishes_only_the_structured_prompt_text_and_a_numeric_seed()
    {
        var id = NewRequestId("structured");
        var job = Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, EndpointKind = JobKind.StructuredPrompt, DurationMs = 300, Outcome = JobOutcome.Completed,
            Seed = 5787, SeedAsString = false, Prompt = "a bicycle at dawn",
        });
        var command = Command(id, EndpointKind.StructuredPrompt);
        var trackedAt = Now();

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.NotNull(completed.Result.StructuredPrompt);
        // Kept as the string of JSON that Bria sends, not as an object.
        using (var prompt = JsonDocument.Parse(completed.Result.StructuredPrompt))
        {
            Assert.Equal("a bicycle at dawn", prompt.RootElement.GetProperty("short_description").GetString());
        }

        Assert.Equal(5787L, completed.Result.Seed);
        Assert.Null(completed.Result.ImageUrl);
        Assert.Null(completed.Result.VideoUrl);
        Assert.Null(completed.Result.Prompt);
        Assert.Null(completed.Result.RefinedPrompt);
        Assert.Null(completed.Result.Extra);
        AssertTimes(completed.FinishedAt, completed.NoticedAt, job.FinishesAt, trackedAt);
    }

    [Fact]
    public async Task Completed_result_keeps_unmodelled_result_fields_and_a_top_level_warning_in_Extra()
    {
        var id = NewRequestId("extra");
        var job = Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, EndpointKind = JobKind.Image, DurationMs = 300, Outcome = JobOutcome.Completed, Seed = 42, SeedAsString = false,
            ExtraFields = new JsonObject { ["mask_url"] = "https://temp.example/mask.png", ["scores"] = new JsonObject { ["aesthetic"] = 0.75 } },
            TopLevelFields = new JsonObject { ["warning"] = "this endpoint is deprecated" },
        });
        var command = Command(id);
        var trackedAt = Now();

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        Assert.Equal(42L, completed.Result.Seed);
        var extra = Assert.IsAssignableFrom<IReadOnlyDictionary<string, JsonElement>>(completed.Result.Extra);
        Assert.Equal(["mask_url", "scores", "warning"], extra.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("https://temp.example/mask.png", extra["mask_url"].GetString());
        Assert.Equal(0.75, extra["scores"].GetProperty("aesthetic").GetDouble());
        Assert.Equal("this endpoint is deprecated", extra["warning"].GetString());
        AssertTimes(completed.FinishedAt, completed.NoticedAt, job.FinishesAt, trackedAt);
    }

    [Fact]
    public async Task Error_status_publishes_RequestFailed_with_reason_Error_and_Brias_error_object()
    {
        var id = NewRequestId("error");
        var job = Env.Simulator.State.CreateJob(new JobSpec
        {
            RequestId = id, DurationMs = 300, Outcome = JobOutcome.Error,
            Error = new JsonObject { ["code"] = 422, ["message"] = "Unprocessable Entity", ["details"] = "input image could not be decoded" },
        });
        var command = Command(id) with { PartnerId = "partner-err" };
        var trackedAt = Now();

        await TrackAsync(command);
        var failed = await FailedAsync(id);

        AssertEchoes(command, failed.RequestId, failed.CorrelationId, failed.PartnerId, failed.Metadata);
        Assert.Equal(FailureReason.Error, failed.Reason);
        Assert.Equal(new BriaError { Code = "422", Message = "Unprocessable Entity", Details = "input image could not be decoded" }, failed.Error);
        AssertTimes(failed.FinishedAt, failed.NoticedAt, job.FinishesAt, trackedAt);
    }

    [Fact]
    public async Task Unknown_answers_up_to_the_tolerance_then_Completed_publish_RequestCompleted_and_no_failure()
    {
        var id = NewRequestId("unknown-then-completed");
        var job = Env.Simulator.State.CreateJob(new JobSpec
        {
            // Finished before the first poll, so every status call after it is counted below.
            RequestId = id, DurationMs = 0, Outcome = JobOutcome.UnknownThenCompleted, UnknownReads = BridgeEnvironment.UnknownTolerance,
            Seed = 7, SeedAsString = false,
        });
        var command = Command(id);
        var trackedAt = Now();

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        Assert.Equal(7L, completed.Result.Seed);
        AssertTimes(completed.FinishedAt, completed.NoticedAt, job.FinishesAt, trackedAt);
        // Every UNKNOWN read up to the tolerance, then the COMPLETED one.
        Assert.Equal(BridgeEnvironment.UnknownTolerance + 1, StatusCalls(id));
        Assert.All(Env.Outcomes.For(id), o => Assert.Null(o.Failed));
    }

    [Fact]
    public async Task Unknown_answers_beyond_the_tolerance_publish_RequestFailed_with_reason_Unknown_and_Brias_error()
    {
        var id = NewRequestId("unknown");
        // Finished before the first poll, so every status call reads UNKNOWN.
        var job = CreateJob(id, JobOutcome.Unknown, durationMs: 0);
        var command = Command(id);
        var trackedAt = Now();

        await TrackAsync(command);
        var failed = await FailedAsync(id);

        AssertEchoes(command, failed.RequestId, failed.CorrelationId, failed.PartnerId, failed.Metadata);
        Assert.Equal(FailureReason.Unknown, failed.Reason);
        Assert.Equal(new BriaError { Code = "500", Message = "Internal Server Error", Details = "unexpected failure" }, failed.Error);
        AssertTimes(failed.FinishedAt, failed.NoticedAt, job.FinishesAt, trackedAt);
        Assert.Equal(BridgeEnvironment.UnknownTolerance + 1, StatusCalls(id));
    }

    [Fact]
    public async Task Expired_request_id_publishes_RequestFailed_with_reason_NotFound_after_the_grace()
    {
        var id = NewRequestId("expire");
        var job = CreateJob(id, JobOutcome.Expire, durationMs: 300);
        var command = Command(id);
        var trackedAt = Now();

        await TrackAsync(command);
        var failed = await FailedAsync(id);

        AssertNotFoundAfterGrace(command, failed, trackedAt);
        Assert.True(failed.FinishedAt >= job.FinishesAt + BridgeEnvironment.NotFoundGrace - TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Request_id_Bria_never_had_publishes_RequestFailed_with_reason_NotFound_after_the_grace()
    {
        var id = NewRequestId("never-existed");
        var command = Command(id);
        var trackedAt = Now();

        await TrackAsync(command);
        var failed = await FailedAsync(id);

        AssertNotFoundAfterGrace(command, failed, trackedAt);
    }

    [Fact]
    public async Task Deadline_passing_while_in_progress_publishes_RequestFailed_with_reason_TimedOut_at_the_deadline()
    {
        var id = NewRequestId("deadline");
        CreateJob(id, JobOutcome.Completed, durationMs: 60_000);
        var deadline = Now().AddMilliseconds(1500);
        var command = Command(id) with { Deadline = deadline };
        var trackedAt = Now();

        await TrackAsync(command);
        var failed = await FailedAsync(id);

        AssertEchoes(command, failed.RequestId, failed.CorrelationId, failed.PartnerId, failed.Metadata);
        Assert.Equal(FailureReason.TimedOut, failed.Reason);
        Assert.Null(failed.Error);
        // The store keeps milliseconds.
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(deadline.ToUnixTimeMilliseconds()), failed.FinishedAt);
        AssertTimes(failed.FinishedAt, failed.NoticedAt, deadline.AddMilliseconds(-1), trackedAt);
        var calls = Env.Simulator.State.GetStats().Requests[id];
        Assert.True(calls.Count >= 1, "The request was never polled before its deadline.");
        Assert.Null(calls.FirstTerminalReadAt);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_for_a_while_are_not_terminal_and_the_request_completes_once_they_stop(int statusCode)
    {
        var id = NewRequestId($"http-{statusCode}");
        CreateJob(id, JobOutcome.Completed, durationMs: 0);
        Env.Simulator.State.SetFaults(new FaultSettings { StatusCode = statusCode, RequestIds = [id], IncludeRequestId = true });
        try
        {
            await AssertNotTerminalWhileFaultedAsync(id, minimumCalls: 4);
        }
        finally
        {
            Env.Simulator.State.ClearFaults();
        }

        var completed = await CompletedAsync(id);
        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        Assert.True(StatusCalls(id) >= 5, $"{StatusCalls(id)} status calls: four failed ones and the one that completed were expected.");
    }

    [Fact]
    public async Task Rate_limiting_for_a_while_is_not_terminal_and_the_request_completes_once_it_stops()
    {
        var id = NewRequestId("http-429");
        CreateJob(id, JobOutcome.Completed, durationMs: 0);
        Env.Simulator.State.SetFaults(new FaultSettings { StatusCode = 429, RequestIds = [id], RetryAfterSeconds = 1 });
        try
        {
            await AssertNotTerminalWhileFaultedAsync(id, minimumCalls: 2);
        }
        finally
        {
            Env.Simulator.State.ClearFaults();
        }

        var completed = await CompletedAsync(id);
        Assert.Equal(new Uri($"https://temp.example/{id}.png"), completed.Result.ImageUrl);
        var times = Env.Simulator.State.GetStats().Requests[id].CallTimes;
        // Retry-After: 1 pauses polling for a second after each 429.
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"The second call came {times[1] - times[0]} after the first 429.");
    }

    private async Task AssertNotTerminalWhileFaultedAsync(string requestId, int minimumCalls)
    {
        var command = Command(requestId);
        await TrackAsync(command);
        await Eventually.HoldsAsync(
            () => StatusCalls(requestId) >= minimumCalls,
            EventTimeout,
            () => $"{requestId} was polled {StatusCalls(requestId)} times, fewer than {minimumCalls}.");

        var stored = await Env.Store.GetAsync(requestId, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(TrackingState.Tracking, stored.State);
        Assert.Empty(Env.Outcomes.For(requestId));
    }

    private void AssertNotFoundAfterGrace(TrackRequest command, RequestFailed failed, DateTimeOffset trackedAt)
    {
        AssertEchoes(command, failed.RequestId, failed.CorrelationId, failed.PartnerId, failed.Metadata);
        Assert.Equal(FailureReason.NotFound, failed.Reason);
        Assert.Null(failed.Error);
        var calls = Env.Simulator.State.GetStats().Requests[command.RequestId];
        Assert.NotNull(calls.FirstTerminalReadAt);
        var graceEnds = calls.FirstTerminalReadAt.Value + BridgeEnvironment.NotFoundGrace;
        AssertTimes(failed.FinishedAt, failed.NoticedAt, graceEnds, trackedAt);
        // The simulator stamps a call when it arrives and the first terminal read when it answers, a moment later: the
        // call that read the first 404 is the last one that arrived by then.
        var firstNotFoundCall = calls.CallTimes.Last(t => t <= calls.FirstTerminalReadAt);
        Assert.True(calls.CallTimes.Count(t => t >= firstNotFoundCall) >= 2, $"Only {calls.Count} status calls: the first 404 ended the request.");
    }
}
