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

    [Fact]
    public void The_bria_pushes_flag_is_read_in_any_case_and_written_only_when_set()
    {
        var snake = JsonSerializer.Deserialize<TrackRequest>("""{"request_id":"r","bria_pushes":true}""", Options)!;
        var pascal = JsonSerializer.Deserialize<TrackRequest>("""{"RequestId":"r","BriaPushes":false}""", Options)!;
        var absent = JsonSerializer.Deserialize<TrackRequest>("""{"request_id":"r"}""", Options)!;

        Assert.True(snake.BriaPushes);
        Assert.False(pascal.BriaPushes);
        Assert.False(absent.BriaPushes);
        Assert.Contains("\"briaPushes\":true", JsonSerializer.Serialize(snake, Options), StringComparison.Ordinal);
        Assert.DoesNotContain("briaPushes", JsonSerializer.Serialize(absent, Options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"request_id":"r","bria_pushes":"yes"}""", "bria_pushes must be true or false")]
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

    public static TheoryData<string> Namings() => ["snake_case", "camelCase"];

    // Reflection over the contract: a property added to TrackRequest without a reader and a writer in the converter
    // fails here instead of being dropped on the bus without a trace.
    [Theory]
    [MemberData(nameof(Namings))]
    public void Every_TrackRequest_property_round_trips(string naming)
    {
        var policy = naming == "snake_case" ? JsonNamingPolicy.SnakeCaseLower : JsonNamingPolicy.CamelCase;
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = policy, Converters = { new TrackRequestJsonConverter() } };
        var properties = typeof(TrackRequest).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .ToList();
        var original = new TrackRequest();
        foreach (var property in properties)
        {
            var sample = SampleFor(property);
            Assert.NotEqual(property.GetValue(original), sample);
            property.SetValue(original, sample);
        }

        var json = JsonSerializer.Serialize(original, options);
        var written = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        var read = JsonSerializer.Deserialize<TrackRequest>(json, options)!;

        Assert.True(properties.Count >= 8, $"Only {properties.Count} properties found on TrackRequest.");
        foreach (var property in properties)
        {
            Assert.True(written.ContainsKey(policy.ConvertName(property.Name)), $"{property.Name} is not written as {policy.ConvertName(property.Name)}: {json}");
            var expected = property.GetValue(original);
            var actual = property.GetValue(read);
            if (expected is IReadOnlyDictionary<string, string> dictionary)
            {
                Assert.Equal(dictionary.OrderBy(p => p.Key), ((IReadOnlyDictionary<string, string>)actual!).OrderBy(p => p.Key));
            }
            else
            {
                Assert.True(Equals(expected, actual), $"{property.Name}: wrote {expected}, read {actual} from {json}");
            }
        }
    }

    private static object SampleFor(System.Reflection.PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type switch
        {
            _ when type == typeof(string) => $"{property.Name}-value",
            _ when type == typeof(Uri) => new Uri($"https://sample.example/{property.Name}"),
            _ when type == typeof(EndpointKind) => EndpointKind.StructuredPrompt,
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 12, 1, 10, 0, 0, 123, TimeSpan.Zero),
            _ when type == typeof(bool) => true,
            _ when type == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["order"] = "17", ["kind"] = "test" },
            _ => throw new InvalidOperationException(
                $"TrackRequest.{property.Name} is of type {type.Name}, which this test has no sample for: add one here, and a reader and a writer in TrackRequestJsonConverter."),
        };
    }
}
