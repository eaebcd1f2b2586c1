using System.Text.Json.Nodes;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>How commands reach the bridge: plain JSON from producers that are not .NET, MassTransit's envelope, and
/// invalid commands, which go to <c>track-request_error</c> with their reason while the consumer keeps going.</summary>
public abstract class CommandIntakeTests(RabbitMqFixture rabbit, BridgeEnvironment environment) : BridgeScenarioTests(rabbit, environment)
{
    [Theory]
    [InlineData("snake_case", "application/json")]
    [InlineData("camelCase", "application/json")]
    [InlineData("snake_case", null)]
    [InlineData("snake_case", "application/json; charset=utf-8")]
    [InlineData("PascalCase", "text/json")]
    public async Task Plain_json_command_from_a_producer_without_MassTransit_is_tracked(string naming, string? contentType)
    {
        var id = NewRequestId("plain");
        var correlationId = $"corr-{Guid.NewGuid():N}";
        CreateJob(id, JobOutcome.Completed, durationMs: 200, kind: JobKind.StructuredPrompt);
        var body = naming switch
        {
            "snake_case" => new JsonObject
            {
                ["request_id"] = id,
                ["correlation_id"] = correlationId,
                ["partner_id"] = "partner-py",
                ["endpoint_kind"] = "structured_prompt",
                ["metadata"] = new JsonObject { ["source"] = "python", ["attempt"] = "1" },
            },
            "PascalCase" => new JsonObject
            {
                ["RequestId"] = id,
                ["CorrelationId"] = correlationId,
                ["PartnerId"] = "partner-py",
                ["EndpointKind"] = "StructuredPrompt",
                ["Metadata"] = new JsonObject { ["source"] = "python", ["attempt"] = "1" },
            },
            _ => new JsonObject
            {
                ["requestId"] = id,
                ["correlationId"] = correlationId,
                ["partnerId"] = "partner-py",
                ["endpointKind"] = "StructuredPrompt",
                ["metadata"] = new JsonObject { ["source"] = "python", ["attempt"] = "1" },
            },
        };

        await Env.Raw.PublishAsync(body.ToJsonString(), contentType);
        var completed = await CompletedAsync(id);

        Assert.Equal(correlationId, completed.CorrelationId);
        Assert.Equal("partner-py", completed.PartnerId);
        Assert.Equal(new Dictionary<string, string> { ["source"] = "python", ["attempt"] = "1" }, completed.Metadata);
        Assert.NotNull(completed.Result.StructuredPrompt);
        var stored = await Env.Store.GetAsync(id, CancellationToken.None);
        Assert.Equal(EndpointKind.StructuredPrompt, stored?.Kind);
    }

    [Fact]
    public async Task Enveloped_command_published_by_another_service_is_tracked()
    {
        var id = NewRequestId("published");
        CreateJob(id, JobOutcome.Completed);
        var command = Command(id) with { PartnerId = "partner-envelope" };

        await Env.Services.Publish(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.NotNull(completed.Result.ImageUrl);
    }

    [Fact]
    public async Task Enveloped_command_sent_to_the_track_request_queue_is_tracked()
    {
        var id = NewRequestId("sent");
        CreateJob(id, JobOutcome.Completed, kind: JobKind.Video);
        var command = Command(id, EndpointKind.Video);

        var endpoint = await Env.Services.GetSendEndpoint(new Uri($"queue:{RawCommandChannel.QueueName}"));
        await endpoint.Send(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
        Assert.NotNull(completed.Result.VideoUrl);
    }

    [Fact]
    public async Task Metadata_of_exactly_the_8_KB_limit_is_accepted_and_echoed()
    {
        var id = NewRequestId("metadata-limit");
        CreateJob(id, JobOutcome.Completed, durationMs: 0);
        // Keys and values together: "a" + 8191 bytes of "é" (2 bytes each) and "x".
        var value = new string('é', 4000) + new string('x', 8191 - 8000);
        var command = Command(id) with { Metadata = new Dictionary<string, string> { ["a"] = value } };
        Assert.Equal(8 * 1024, System.Text.Encoding.UTF8.GetByteCount("a" + value));

        await TrackAsync(command);
        var completed = await CompletedAsync(id);

        AssertEchoes(command, completed.RequestId, completed.CorrelationId, completed.PartnerId, completed.Metadata);
    }

    [Fact]
    public async Task Invalid_enveloped_command_lands_in_the_error_queue_with_its_reason_and_the_consumer_keeps_going()
    {
        var id = NewRequestId("invalid-envelope");
        var command = Command(id) with { WebhookUrl = new Uri("ftp://files.example/hook") };

        await TrackAsync(command);
        var dead = await Env.Raw.WaitForErrorAsync(command.CorrelationId!, EventTimeout);

        Assert.Contains("must be an absolute http or https URL", dead.Header("MT-Fault-Message") ?? "", StringComparison.Ordinal);
        Assert.Null(await Env.Store.GetAsync(id, CancellationToken.None));
        var valid = NewRequestId("after-invalid-envelope");
        CreateJob(valid, JobOutcome.Completed, durationMs: 0);
        var next = Command(valid);
        await TrackAsync(next);
        var completed = await CompletedAsync(valid);
        Assert.Equal(next.CorrelationId, completed.CorrelationId);
    }

    [Theory]
    [InlineData("missing request id", "RequestId is required")]
    [InlineData("status URL of another host", "is not Bria's V2 status URL for this request")]
    [InlineData("status URL of another request", "is not Bria's V2 status URL for this request")]
    [InlineData("deadline in the past", "is in the past")]
    [InlineData("oversized metadata", "bytes of keys and values together")]
    [InlineData("unknown endpoint kind", "endpoint_kind 'audio' is unknown")]
    [InlineData("request id of the wrong type", "request_id must be a string")]
    [InlineData("metadata of the wrong type", "metadata must be an object")]
    [InlineData("not an object", "must be a JSON object")]
    [InlineData("malformed JSON", "Expected depth to be zero at the end of the JSON payload")]
    public async Task Invalid_command_lands_in_the_error_queue_with_its_reason_and_the_consumer_keeps_going(string problem, string reason)
    {
        var id = NewRequestId("invalid");
        var marker = $"marker-{Guid.NewGuid():N}";
        var statusBase = Env.Simulator.BaseUrl;
        var body = problem switch
        {
            "missing request id" => $$"""{"correlation_id":"{{marker}}","endpoint_kind":"image"}""",
            "status URL of another host" => $$"""{"request_id":"{{id}}","status_url":"https://bria.example.net/v2/status/{{id}}","correlation_id":"{{marker}}"}""",
            "status URL of another request" => $$"""{"request_id":"{{id}}","status_url":"{{statusBase}}v2/status/{{id}}-other","correlation_id":"{{marker}}"}""",
            "deadline in the past" => $$"""{"request_id":"{{id}}","deadline":"{{Now().AddHours(-1):O}}","correlation_id":"{{marker}}"}""",
            "oversized metadata" => $$$"""{"request_id":"{{{id}}}","correlation_id":"{{{marker}}}","metadata":{"blob":"{{{new string('x', 9000)}}}"}}""",
            "unknown endpoint kind" => $$"""{"request_id":"{{id}}","endpoint_kind":"audio","correlation_id":"{{marker}}"}""",
            "request id of the wrong type" => $$"""{"request_id":{"id":"{{id}}"},"correlation_id":"{{marker}}"}""",
            "metadata of the wrong type" => $$"""{"request_id":"{{id}}","correlation_id":"{{marker}}","metadata":["a","b"]}""",
            "not an object" => $$"""["{{id}}","{{marker}}"]""",
            "malformed JSON" => $$"""{"request_id":"{{id}}","correlation_id":"{{marker}}","metadata":{""",
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "no such case"),
        };

        await Env.Raw.PublishAsync(body, "application/json");
        var dead = await Env.Raw.WaitForErrorAsync(marker, EventTimeout);

        Assert.Equal(body, dead.Body);
        var fault = dead.Header("MT-Fault-Message");
        Assert.True(fault is not null, $"No MT-Fault-Message header; headers: {string.Join(", ", dead.Headers.Keys)}");
        Assert.Contains(reason, fault, StringComparison.Ordinal);
        Assert.Null(await Env.Store.GetAsync(id, CancellationToken.None));

        // The consumer keeps going.
        var valid = NewRequestId("after-invalid");
        CreateJob(valid, JobOutcome.Completed, durationMs: 0);
        await Env.Raw.PublishAsync($$"""{"request_id":"{{valid}}","correlation_id":"after-{{marker}}"}""", "application/json");
        var completed = await CompletedAsync(valid);
        Assert.Equal($"after-{marker}", completed.CorrelationId);
        Assert.Empty(Env.Outcomes.For(id));
    }

    [Theory]
    [InlineData("JSON null", "application/json", "not a TrackRequest: the body is JSON null")]
    [InlineData("empty body", "application/json", "not a TrackRequest: the body is empty")]
    [InlineData("JSON sent as text/xml", "text/xml", "not a TrackRequest: the content type is text/xml")]
    [InlineData("JSON sent as application/octet-stream", "application/octet-stream", "not a TrackRequest: the content type is application/octet-stream")]
    public async Task A_message_that_is_not_a_JSON_command_lands_in_the_skipped_queue_with_a_reason_that_says_what_was_wrong(string problem, string contentType, string reason)
    {
        var id = NewRequestId("not-a-command");
        var marker = $"marker-{Guid.NewGuid():N}";
        CreateJob(id, JobOutcome.Completed, durationMs: 0);
        var body = problem switch
        {
            "JSON null" => "null",
            "empty body" => "",
            _ => $$"""{"request_id":"{{id}}","correlation_id":"{{marker}}"}""",
        };

        await Env.Raw.PublishAsync(body, contentType, marker);
        var skipped = await Env.Raw.WaitForSkippedAsync(marker, EventTimeout);

        Assert.Equal(body, skipped.Body);
        Assert.StartsWith(reason, skipped.Header("MT-Reason") ?? "(no MT-Reason header)", StringComparison.Ordinal);
        Assert.Null(await Env.Store.GetAsync(id, CancellationToken.None));
        await ConsumerKeepsGoingAsync(marker);
    }

    [Fact]
    public async Task An_envelope_of_another_message_type_lands_in_the_skipped_queue_with_a_reason_naming_its_type()
    {
        var id = NewRequestId("other-type");
        var marker = $"marker-{Guid.NewGuid():N}";
        CreateJob(id, JobOutcome.Completed, durationMs: 0);
        var body = $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:Other.Contracts:ShipOrder"],"message":{"request_id":"{{{id}}}","correlation_id":"{{{marker}}}"}}""";

        await Env.Raw.PublishAsync(body, "application/vnd.masstransit+json", marker);
        var skipped = await Env.Raw.WaitForSkippedAsync(marker, EventTimeout);

        Assert.Equal(body, skipped.Body);
        Assert.Equal(
            "not a TrackRequest: the envelope's messageType is [urn:message:Other.Contracts:ShipOrder], not urn:message:Bria.StatusBridge.Contracts:TrackRequest; the track-request queue takes TrackRequest commands only",
            skipped.Header("MT-Reason"));
        Assert.Null(await Env.Store.GetAsync(id, CancellationToken.None));
        await ConsumerKeepsGoingAsync(marker);
    }

    private async Task ConsumerKeepsGoingAsync(string marker)
    {
        var valid = NewRequestId("after-not-a-command");
        CreateJob(valid, JobOutcome.Completed, durationMs: 0);
        await Env.Raw.PublishAsync($$"""{"request_id":"{{valid}}","correlation_id":"after-{{marker}}"}""", "application/json");
        var completed = await CompletedAsync(valid);
        Assert.Equal($"after-{marker}", completed.CorrelationId);
    }
}
