using System.Net.Http.Headers;
using System.Text.Json;
using Bria.StatusBridge.Upstream;

namespace Bria.StatusBridge.Tests.Upstream;

/// <summary>The quirks of Bria's bodies (bria-api.md), parsed without HTTP.</summary>
public sealed class BriaStatusParserTests
{
    private static T Parse<T>(string body) where T : class => Assert.IsType<T>(BriaStatusParser.ParseStatusBody(200, body));

    private static Contracts.BriaResult ParseResult(string result) =>
        Parse<StatusObservation.Completed>($$$"""{"request_id":"r","status":"COMPLETED","result":{{{result}}}}""").Result;

    [Theory]
    [InlineData("""{"seed":"90210"}""")]
    [InlineData("""{"seed":90210}""")]
    public void Seed_as_number_or_numeric_string_becomes_a_long(string result)
    {
        var parsed = ParseResult(result);

        Assert.Equal(90210L, parsed.Seed);
        Assert.Null(parsed.Extra);
    }

    [Theory]
    [InlineData("""{"seed":"random"}""", "\"random\"")]
    [InlineData("""{"seed":1.5}""", "1.5")]
    [InlineData("""{"seed":"99999999999999999999999"}""", "\"99999999999999999999999\"")]
    public void Seed_that_is_not_an_integer_is_kept_in_Extra(string result, string rawSeed)
    {
        var parsed = ParseResult(result);

        Assert.Null(parsed.Seed);
        Assert.NotNull(parsed.Extra);
        Assert.Equal(rawSeed, parsed.Extra["seed"].GetRawText());
    }

    [Fact]
    public void Structured_prompt_sent_as_an_object_is_kept_as_its_raw_json()
    {
        var parsed = ParseResult("""{"structured_prompt":{"short_description":"a bicycle","objects":[1,2]}}""");

        Assert.Equal("""{"short_description":"a bicycle","objects":[1,2]}""", parsed.StructuredPrompt);
        using var reparsed = JsonDocument.Parse(parsed.StructuredPrompt!);
        Assert.Equal("a bicycle", reparsed.RootElement.GetProperty("short_description").GetString());
    }

    [Fact]
    public void Unknown_result_fields_are_kept_in_Extra()
    {
        var parsed = ParseResult("""{"image_url":"https://temp.example/a.png","mask_url":"https://temp.example/m.png","structured_instruction":{"edit":"recolor"}}""");

        Assert.NotNull(parsed.Extra);
        Assert.Equal("https://temp.example/m.png", parsed.Extra["mask_url"].GetString());
        Assert.Equal("recolor", parsed.Extra["structured_instruction"].GetProperty("edit").GetString());
        Assert.Equal(new Uri("https://temp.example/a.png"), parsed.ImageUrl);
    }

    [Fact]
    public void Top_level_warning_is_kept_in_Extra_under_its_name()
    {
        var completed = Parse<StatusObservation.Completed>(
            """{"request_id":"r","status":"COMPLETED","warning":"prompt was moderated","result":{"image_url":"https://temp.example/a.png"}}""");

        Assert.NotNull(completed.Result.Extra);
        Assert.Equal("prompt was moderated", completed.Result.Extra["warning"].GetString());
        Assert.False(completed.Result.Extra.ContainsKey("request_id"));
    }

    [Fact]
    public void Top_level_field_named_like_a_result_field_is_kept_under_a_prefixed_name()
    {
        var completed = Parse<StatusObservation.Completed>(
            """{"status":"COMPLETED","note":"outer","result":{"note":"inner"}}""");

        Assert.Equal("inner", completed.Result.Extra!["note"].GetString());
        Assert.Equal("outer", completed.Result.Extra["response.note"].GetString());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path.png")]
    public void Unparsable_image_url_is_kept_in_Extra_instead_of_throwing(string url)
    {
        var parsed = ParseResult($$"""{"image_url":"{{url}}"}""");

        Assert.Null(parsed.ImageUrl);
        Assert.Equal(url, parsed.Extra!["image_url"].GetString());
    }

    [Fact]
    public void Video_url_of_the_wrong_type_is_kept_in_Extra()
    {
        var parsed = ParseResult("""{"video_url":12}""");

        Assert.Null(parsed.VideoUrl);
        Assert.Equal(JsonValueKind.Number, parsed.Extra!["video_url"].ValueKind);
    }

    [Fact]
    public void Extra_values_outlive_the_parsed_document()
    {
        var parsed = ParseResult("""{"mask_url":"https://temp.example/m.png"}""");

        // Reading after parsing has returned (and disposed its document) proves the values were cloned.
        Assert.Equal("""{"mask_url":"https://temp.example/m.png"}""", JsonSerializer.Serialize(parsed.Extra));
    }

    [Fact]
    public void Completed_without_a_result_object_is_still_Completed()
    {
        var completed = Parse<StatusObservation.Completed>("""{"request_id":"r","status":"COMPLETED"}""");

        Assert.Null(completed.Result.ImageUrl);
        Assert.Null(completed.Result.Extra);
    }

    [Fact]
    public void Error_code_as_a_word_is_kept_as_text()
    {
        var failed = Parse<StatusObservation.Failed>(
            """{"status":"ERROR","error":{"code":"VALIDATION_ERROR","message":"bad input","details":"prompt is empty"}}""");

        Assert.Equal("VALIDATION_ERROR", failed.Error.Code);
        Assert.Equal("bad input", failed.Error.Message);
    }

    [Fact]
    public void Error_details_as_an_object_are_kept_as_raw_json()
    {
        var failed = Parse<StatusObservation.Failed>(
            """{"status":"ERROR","error":{"code":422,"message":"Unprocessable Entity","details":{"field":"image","reason":"undecodable"}}}""");

        Assert.Equal("422", failed.Error.Code);
        Assert.Equal("""{"field":"image","reason":"undecodable"}""", failed.Error.Details);
    }

    [Fact]
    public void Error_status_without_an_error_object_is_still_a_terminal_failure()
    {
        var failed = Parse<StatusObservation.Failed>("""{"request_id":"r","status":"ERROR"}""");

        Assert.Null(failed.Error.Code);
        Assert.Null(failed.Error.Message);
    }

    [Fact]
    public void Unknown_status_without_an_error_object_has_no_error()
    {
        var unknown = Parse<StatusObservation.Unknown>("""{"request_id":"r","status":"UNKNOWN"}""");

        Assert.Null(unknown.Error);
    }

    [Theory]
    [InlineData("in_progress", typeof(StatusObservation.InProgress))]
    [InlineData("In_Progress", typeof(StatusObservation.InProgress))]
    [InlineData("error", typeof(StatusObservation.Failed))]
    [InlineData(" Unknown ", typeof(StatusObservation.Unknown))]
    public void Status_values_are_read_case_insensitively(string status, Type expected)
    {
        var observation = BriaStatusParser.ParseStatusBody(200, $$"""{"status":"{{status}}"}""");

        Assert.IsType(expected, observation);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"IN_PROGRESS\"")]
    [InlineData("{\"status\":")]
    [InlineData("<html>ok</html>")]
    [InlineData("   ")]
    public void Body_that_is_not_a_json_object_is_Transient(string body)
    {
        var transient = Parse<StatusObservation.Transient>(body);

        Assert.Equal(200, transient.HttpStatus);
        Assert.Null(transient.Error);
    }

    [Fact]
    public void Unrecognised_status_text_is_cut_short_in_the_reason()
    {
        var transient = Parse<StatusObservation.Transient>($$"""{"status":"{{new string('X', 500)}}"}""");

        Assert.True(transient.Reason.Length < 100, transient.Reason);
    }

    [Theory]
    [InlineData(404, "{\"status\":\"NOT_FOUND\"}", typeof(StatusObservation.NotFound))]
    [InlineData(404, "", typeof(StatusObservation.NotFound))]
    [InlineData(429, "", typeof(StatusObservation.Throttled))]
    [InlineData(500, "", typeof(StatusObservation.Transient))]
    [InlineData(401, "", typeof(StatusObservation.Transient))]
    [InlineData(200, "{\"status\":\"IN_PROGRESS\"}", typeof(StatusObservation.InProgress))]
    public void Map_classifies_by_status_code_first(int status, string body, Type expected)
    {
        var observation = BriaStatusParser.Map(status, body, null);

        Assert.IsType(expected, observation);
        Assert.Equal(status, observation.HttpStatus);
    }

    [Fact]
    public void Retry_after_seconds_is_read_as_a_delay()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(30), BriaStatusParser.ReadRetryAfter(RetryConditionHeaderValue.Parse("30"), now));
    }

    [Fact]
    public void Retry_after_date_is_read_as_the_time_until_then_and_never_negative()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(90),
            BriaStatusParser.ReadRetryAfter(RetryConditionHeaderValue.Parse("Sun, 01 Mar 2026 12:01:30 GMT"), now));
        Assert.Equal(TimeSpan.Zero,
            BriaStatusParser.ReadRetryAfter(RetryConditionHeaderValue.Parse("Sun, 01 Mar 2026 11:00:00 GMT"), now));
        Assert.Null(BriaStatusParser.ReadRetryAfter(null, now));
    }

    [Fact]
    public void Error_envelope_is_read_from_an_error_body_and_ignored_when_unreadable()
    {
        var error = BriaStatusParser.TryParseErrorEnvelope("""{"error":{"code":503,"message":"Service Unavailable"}}""");

        Assert.Equal("503", error?.Code);
        Assert.Null(BriaStatusParser.TryParseErrorEnvelope("<html>oops</html>"));
        Assert.Null(BriaStatusParser.TryParseErrorEnvelope(""));
    }
}
