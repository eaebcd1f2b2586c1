using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Tracking;

public sealed class TrackRequestJsonConverterTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new TrackRequestJsonConverter() } };

    [Fact]
    public void Snake_case_json_from_a_non_dotnet_producer_is_read()
    {
        const string json = """
            {"request_id":"7f3c0a9e","status_url":"https://engine.prod.bria-api.com/v2/status/7f3c0a9e","correlation_id":"order-17",
             "partner_id":"p1","webhook_url":"https://hooks.example/bria","endpoint_kind":"structured_prompt",
             "deadline":"2026-12-01T10:00:00Z","metadata":{"order":"17","attempt":2}}
            """;

        var command = JsonSerializer.Deserialize<TrackRequest>(json, Options)!;

        Assert.Equal("7f3c0a9e", command.RequestId);
        Assert.Equal(new Uri("https://engine.prod.bria-api.com/v2/status/7f3c0a9e"), command.StatusUrl);
        Assert.Equal("order-17", command.CorrelationId);
        Assert.Equal("p1", command.PartnerId);
        Assert.Equal(new Uri("https://hooks.example/bria"), command.WebhookUrl);
        Assert.Equal(EndpointKind.StructuredPrompt, command.EndpointKind);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), command.Deadline);
        Assert.Equal("2", command.Metadata!["attempt"]);
    }

    [Fact]
    public void Camel_case_round_trips()
    {
        var original = new TrackRequest
        {
            RequestId = "r-1",
            CorrelationId = "c-1",
            EndpointKind = EndpointKind.Video,
            Deadline = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        };

        var json = JsonSerializer.Serialize(original, Options);
        var read = JsonSerializer.Deserialize<TrackRequest>(json, Options)!;

        Assert.Contains("\"requestId\":\"r-1\"", json, StringComparison.Ordinal);
        Assert.Equal(original.RequestId, read.RequestId);
        Assert.Equal(EndpointKind.Video, read.EndpointKind);
        Assert.Equal(original.Deadline, read.Deadline);
        Assert.Equal("v", read.Metadata!["k"]);
    }

    [Theory]
    [InlineData("""{"request_id":"r","endpoint_kind":"audio"}""", "endpoint_kind 'audio' is unknown")]
    [InlineData("""{"request_id":"r","status_url":"not a url"}""", "status_url 'not a url' is not an absolute URL")]
    [InlineData("""{"request_id":"r","deadline":"tomorrow"}""", "deadline")]
    [InlineData("""{"request_id":"r","metadata":{"a":{"b":1}}}""", "metadata['a'] must be a string")]
    [InlineData("""["r"]""", "must be a JSON object")]
    public void Malformed_fields_fail_with_a_message_that_names_them(string json, string expected)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TrackRequest>(json, Options));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
