using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Upstream;

/// <summary>One test per row of the status table in bria-api.md, through the real Refit client and pipeline.</summary>
public sealed class BriaStatusClientTests
{
    private const string RequestId = "7f3c0a9e";

    private static async Task<T> ObserveAsync<T>(HttpStatusCode status, string body) where T : class
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() => StubHttpMessageHandler.Json(status, body)));
        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);
        Assert.Equal((int)status, observation.HttpStatus);
        return Assert.IsType<T>(observation);
    }

    [Fact]
    public async Task In_progress_status_maps_to_InProgress()
    {
        await ObserveAsync<StatusObservation.InProgress>(HttpStatusCode.OK, """{"request_id":"7f3c0a9e","status":"IN_PROGRESS"}""");
    }

    [Fact]
    public async Task Completed_image_result_maps_to_Completed()
    {
        var completed = await ObserveAsync<StatusObservation.Completed>(HttpStatusCode.OK,
            """{"request_id":"7f3c0a9e","status":"COMPLETED","result":{"image_url":"https://temp.example/7f3c.png","seed":"90210","prompt":"red bicycle","refined_prompt":"a red bicycle on a jetty at dusk"}}""");

        Assert.Equal(new Uri("https://temp.example/7f3c.png"), completed.Result.ImageUrl);
        Assert.Null(completed.Result.VideoUrl);
        Assert.Equal(90210L, completed.Result.Seed);
        Assert.Equal("red bicycle", completed.Result.Prompt);
        Assert.Equal("a red bicycle on a jetty at dusk", completed.Result.RefinedPrompt);
        Assert.Null(completed.Result.Extra);
    }

    [Fact]
    public async Task Completed_video_result_maps_to_Completed()
    {
        var completed = await ObserveAsync<StatusObservation.Completed>(HttpStatusCode.OK,
            """{"request_id":"7f3c0a9e","status":"COMPLETED","result":{"video_url":"https://temp.example/7f3c.mp4"}}""");

        Assert.Equal(new Uri("https://temp.example/7f3c.mp4"), completed.Result.VideoUrl);
        Assert.Null(completed.Result.ImageUrl);
    }

    [Fact]
    public async Task Completed_structured_prompt_only_result_keeps_the_prompt_as_its_json_string()
    {
        var completed = await ObserveAsync<StatusObservation.Completed>(HttpStatusCode.OK,
            """{"request_id":"7f3c0a9e","status":"COMPLETED","result":{"structured_prompt":"{\"short_description\":\"a bicycle\"}","seed":42}}""");

        Assert.Equal("""{"short_description":"a bicycle"}""", completed.Result.StructuredPrompt);
        Assert.Equal(42L, completed.Result.Seed);
        Assert.Null(completed.Result.ImageUrl);
        Assert.Null(completed.Result.VideoUrl);
    }

    [Fact]
    public async Task Error_status_maps_to_Failed_with_Brias_error()
    {
        var failed = await ObserveAsync<StatusObservation.Failed>(HttpStatusCode.OK,
            """{"request_id":"7f3c0a9e","status":"ERROR","error":{"code":422,"message":"Unprocessable Entity","details":"input image could not be decoded"}}""");

        Assert.Equal("422", failed.Error.Code);
        Assert.Equal("Unprocessable Entity", failed.Error.Message);
        Assert.Equal("input image could not be decoded", failed.Error.Details);
    }

    [Fact]
    public async Task Unknown_status_maps_to_Unknown_with_Brias_error()
    {
        var unknown = await ObserveAsync<StatusObservation.Unknown>(HttpStatusCode.OK,
            """{"request_id":"7f3c0a9e","status":"UNKNOWN","error":{"code":500,"message":"Internal Server Error","details":"unexpected failure"}}""");

        Assert.NotNull(unknown.Error);
        Assert.Equal("500", unknown.Error.Code);
        Assert.Equal("unexpected failure", unknown.Error.Details);
    }

    [Fact]
    public async Task Not_found_body_without_request_id_maps_to_NotFound()
    {
        await ObserveAsync<StatusObservation.NotFound>(HttpStatusCode.NotFound, """{"status":"NOT_FOUND"}""");
    }

    [Theory]
    [InlineData("", "application/json")]
    [InlineData("<html><body><h1>404 Not Found</h1></body></html>", "text/html")]
    public async Task Not_found_with_an_empty_or_html_body_still_maps_to_NotFound(string body, string mediaType)
    {
        using var harness = BriaClientHarness.Create(
            BriaClientHarness.Always(() => StubHttpMessageHandler.Text(HttpStatusCode.NotFound, body, mediaType)));

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        Assert.IsType<StatusObservation.NotFound>(observation);
        Assert.Equal(404, observation.HttpStatus);
    }

    [Fact]
    public async Task Too_many_requests_without_Retry_After_maps_to_Throttled_without_a_delay()
    {
        var throttled = await ObserveAsync<StatusObservation.Throttled>(HttpStatusCode.TooManyRequests, "");

        Assert.Null(throttled.RetryAfter);
    }

    [Fact]
    public async Task Too_many_requests_with_Retry_After_seconds_maps_to_Throttled_with_that_delay()
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(17));
            return response;
        }));

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var throttled = Assert.IsType<StatusObservation.Throttled>(observation);
        Assert.Equal(TimeSpan.FromSeconds(17), throttled.RetryAfter);
        Assert.Equal(429, throttled.HttpStatus);
    }

    [Fact]
    public async Task Too_many_requests_with_Retry_After_http_date_maps_to_Throttled_with_the_time_until_then()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var harness = BriaClientHarness.Create(
            BriaClientHarness.Always(() =>
            {
                var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 01 Mar 2026 12:02:00 GMT");
                return response;
            }),
            timeProvider: time);

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var throttled = Assert.IsType<StatusObservation.Throttled>(observation);
        Assert.Equal(TimeSpan.FromMinutes(2), throttled.RetryAfter);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Gateway_failure_with_error_envelope_maps_to_Transient_with_Brias_error(int status)
    {
        var transient = await ObserveAsync<StatusObservation.Transient>((HttpStatusCode)status,
            $$$"""{"error":{"code":{{{status}}},"message":"Service Unavailable","details":"status service temporarily down"}}""");

        Assert.NotNull(transient.Error);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), transient.Error.Code);
        Assert.Equal("status service temporarily down", transient.Error.Details);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Gateway_failure_with_request_id_maps_to_Transient_with_Brias_error(int status)
    {
        var transient = await ObserveAsync<StatusObservation.Transient>((HttpStatusCode)status,
            """{"request_id":"7f3c0a9e","error":{"code":"UPSTREAM","message":"Bad Gateway","details":{"retry":true}}}""");

        Assert.NotNull(transient.Error);
        Assert.Equal("UPSTREAM", transient.Error.Code);
        Assert.Equal("""{"retry":true}""", transient.Error.Details);
    }

    [Fact]
    public async Task Gateway_failure_with_an_html_body_maps_to_Transient_without_an_error()
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
            StubHttpMessageHandler.Text(HttpStatusCode.BadGateway, "<html>502 Bad Gateway</html>", "text/html")));

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var transient = Assert.IsType<StatusObservation.Transient>(observation);
        Assert.Equal(502, transient.HttpStatus);
        Assert.Null(transient.Error);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Rejected_credentials_map_to_Transient_and_are_logged_per_call_at_debug_only(int status)
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
            StubHttpMessageHandler.Json((HttpStatusCode)status, """{"error":{"code":401,"message":"Unauthorized"}}""")));

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var transient = Assert.IsType<StatusObservation.Transient>(observation);
        Assert.Equal(status, transient.HttpStatus);
        Assert.Equal("Unauthorized", transient.Error?.Message);
        // The refusal is an outage of the credentials, logged once by the poller when it begins (Hosting.Outages).
        Assert.Contains(harness.Logs.Entries, e => e.Level == LogLevel.Debug && e.EventId.Id == 1103);
        Assert.DoesNotContain(harness.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(418)]
    [InlineData(302)]
    public async Task Other_unexpected_status_codes_map_to_Transient(int status)
    {
        var transient = await ObserveAsync<StatusObservation.Transient>((HttpStatusCode)status, "{}");

        Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), transient.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_maps_to_Transient()
    {
        var transient = await ObserveAsync<StatusObservation.Transient>(HttpStatusCode.OK, """{"request_id":"7f3c0a9e","status":""");

        Assert.Contains("JSON", transient.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"request_id":"7f3c0a9e"}""")]
    [InlineData("""{"request_id":"7f3c0a9e","status":"QUEUED"}""")]
    [InlineData("""{"request_id":"7f3c0a9e","status":7}""")]
    [InlineData("")]
    public async Task Success_without_a_recognised_status_maps_to_Transient(string body)
    {
        await ObserveAsync<StatusObservation.Transient>(HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Status_values_are_matched_case_insensitively()
    {
        var completed = await ObserveAsync<StatusObservation.Completed>(HttpStatusCode.OK,
            """{"request_id":"7f3c0a9e","status":"completed","result":{"image_url":"https://temp.example/a.png"}}""");

        Assert.Equal(new Uri("https://temp.example/a.png"), completed.Result.ImageUrl);
    }

    [Fact]
    public async Task Request_goes_to_the_v2_status_path_with_the_api_token_header_and_no_Authorization()
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
            StubHttpMessageHandler.Json(HttpStatusCode.OK, """{"request_id":"7f3c0a9e","status":"IN_PROGRESS"}""")));

        await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var request = Assert.Single(harness.Handler!.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(new Uri("https://bria.test/v2/status/7f3c0a9e"), request.Uri);
        Assert.Equal([BriaClientHarness.Token], request.ApiTokens);
        Assert.False(request.HasAuthorization);
    }

    [Fact]
    public async Task Request_id_is_escaped_into_the_path()
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
            StubHttpMessageHandler.Json(HttpStatusCode.OK, """{"status":"IN_PROGRESS"}""")));

        await harness.Client.GetStatusAsync("a/b c", CancellationToken.None);

        var request = Assert.Single(harness.Handler!.Requests);
        Assert.Equal("/v2/status/a%2Fb%20c", request.Uri!.AbsolutePath);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(504)]
    public async Task Failed_calls_are_not_retried(int status)
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
            StubHttpMessageHandler.Json((HttpStatusCode)status, "{}")));

        await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        Assert.Single(harness.Handler!.Requests);
    }

    [Fact]
    public async Task Connection_refused_maps_to_Transient()
    {
        // A port that was free a moment ago and has no listener now.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var harness = BriaClientHarness.CreateWithRealNetwork(new Dictionary<string, string?>
        {
            ["Bria:BaseUrl"] = $"http://127.0.0.1:{port}",
            ["Bria:ConnectTimeout"] = "00:00:05",
        });

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var transient = Assert.IsType<StatusObservation.Transient>(observation);
        Assert.Null(transient.HttpStatus);
        Assert.Equal("Connection failed", transient.Reason);
    }

    [Fact]
    public async Task Dns_failure_maps_to_Transient()
    {
        using var harness = BriaClientHarness.Create((_, _) =>
            throw new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (bria.test:443)"));

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var transient = Assert.IsType<StatusObservation.Transient>(observation);
        Assert.Null(transient.HttpStatus);
        Assert.Equal("DNS lookup failed", transient.Reason);
    }

    [Fact]
    public async Task Request_timeout_maps_to_Transient_after_one_attempt()
    {
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var harness = BriaClientHarness.Create(
            async (_, cancellationToken) =>
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    abandoned.TrySetResult();
                    throw;
                }

                throw new InvalidOperationException("unreachable: the delay only ends by cancellation");
            },
            new Dictionary<string, string?> { ["Bria:RequestTimeout"] = "00:00:00.100" });

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        var transient = Assert.IsType<StatusObservation.Transient>(observation);
        Assert.Null(transient.HttpStatus);
        Assert.Equal("Request timed out", transient.Reason);
        Assert.True(abandoned.Task.IsCompleted, "the timed-out request was not cancelled");
        Assert.Single(harness.Handler!.Requests);
    }

    [Fact]
    public async Task Caller_cancellation_throws_OperationCanceledException()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var harness = BriaClientHarness.Create(async (_, cancellationToken) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable: the delay only ends by cancellation");
        });
        using var cancellation = new CancellationTokenSource();

        var call = harness.Client.GetStatusAsync(RequestId, cancellation.Token);
        await entered.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task Already_cancelled_token_throws_OperationCanceledException_without_a_call()
    {
        using var harness = BriaClientHarness.Create(BriaClientHarness.Always(() =>
            StubHttpMessageHandler.Json(HttpStatusCode.OK, """{"status":"IN_PROGRESS"}""")));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => harness.Client.GetStatusAsync(RequestId, new CancellationToken(canceled: true)));
        Assert.Empty(harness.Handler!.Requests);
    }

    [Fact]
    public async Task Latency_is_measured_with_the_injected_TimeProvider()
    {
        var time = new FakeTimeProvider();
        using var harness = BriaClientHarness.Create(
            (_, _) =>
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
                return Task.FromResult(StubHttpMessageHandler.Json(HttpStatusCode.OK, """{"status":"IN_PROGRESS"}"""));
            },
            timeProvider: time);

        var observation = await harness.Client.GetStatusAsync(RequestId, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(250), observation.Latency);
    }
}
