using System.Net;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tests.Upstream;

/// <summary>What <c>AddBriaStatusClient</c> sets up: options, validation, the HTTP pipeline and its logging.</summary>
public sealed class BriaStatusClientRegistrationTests
{
    [Fact]
    public void Options_validation_fails_at_start_without_an_ApiToken()
    {
        var services = BriaClientHarness.NewServices(
            new Dictionary<string, string?> { ["Bria:ApiToken"] = null }, null, out _);
        using var provider = services.BuildServiceProvider();

        var startup = provider.GetRequiredService<IStartupValidator>();

        var failure = Assert.Throws<OptionsValidationException>(startup.Validate);
        Assert.Contains("Bria:ApiToken is required", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bria:RequestTimeout", "00:00:00", "Bria:RequestTimeout must be positive")]
    [InlineData("Bria:ConnectTimeout", "-00:00:01", "Bria:ConnectTimeout must be positive")]
    [InlineData("Bria:BaseUrl", "ftp://bria.test", "Bria:BaseUrl must be an absolute http or https URL")]
    public void Options_validation_rejects_unusable_values(string key, string value, string expected)
    {
        var services = BriaClientHarness.NewServices(new Dictionary<string, string?> { [key] = value }, null, out _);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BriaOptions>>().Value);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_default_to_Brias_production_endpoint_and_the_official_clients_timeouts()
    {
        var services = BriaClientHarness.NewServices(
            new Dictionary<string, string?> { ["Bria:BaseUrl"] = null }, null, out _);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<BriaOptions>>().Value;

        Assert.Equal(new Uri("https://engine.prod.bria-api.com"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(BriaClientHarness.Token, options.ApiToken);
    }

    [Fact]
    public void Options_ToString_never_shows_the_token()
    {
        var options = new BriaOptions { ApiToken = BriaClientHarness.Token };

        Assert.DoesNotContain(BriaClientHarness.Token, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_has_one_resilience_handler_and_a_SocketsHttpHandler_with_the_configured_connect_timeout()
    {
        var services = BriaClientHarness.NewServices(
            new Dictionary<string, string?> { ["Bria:ConnectTimeout"] = "00:00:04" }, null, out _);
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        var handlers = new List<HttpMessageHandler>();
        HttpMessageHandler? current = factory.CreateHandler(BriaStatusClientServiceCollectionExtensions.HttpClientName);
        while (current is not null)
        {
            handlers.Add(current);
            current = (current as DelegatingHandler)?.InnerHandler;
        }

        Assert.Single(handlers.OfType<ResilienceHandler>());
        Assert.Single(handlers.OfType<ApiTokenHandler>());
        var primary = Assert.IsType<SocketsHttpHandler>(handlers[^1]);
        Assert.Equal(TimeSpan.FromSeconds(4), primary.ConnectTimeout);
        Assert.False(primary.AllowAutoRedirect);
        Assert.Equal(TimeSpan.FromMinutes(2), primary.PooledConnectionLifetime);
    }

    [Fact]
    public async Task Token_never_appears_in_log_output()
    {
        var responses = new Queue<Func<HttpResponseMessage>>(
        [
            () => StubHttpMessageHandler.Json(HttpStatusCode.OK, """{"request_id":"r1","status":"IN_PROGRESS"}"""),
            () => StubHttpMessageHandler.Json(HttpStatusCode.Unauthorized, """{"error":{"code":401,"message":"Unauthorized"}}"""),
            () => StubHttpMessageHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":{"code":503}}"""),
            () => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"),
        ]);
        using var harness = BriaClientHarness.Create((_, _) => Task.FromResult(responses.Dequeue()()));

        for (var call = 0; call < 4; call++)
        {
            await harness.Client.GetStatusAsync("r1", CancellationToken.None);
        }

        var entries = harness.Logs.Entries.ToArray();
        Assert.Equal(4, harness.Handler!.Requests.Count);
        // The client's own messages were captured; the factory's logging handlers (whose trace level lists request
        // headers) are not in the pipeline at all...
        Assert.Contains(entries, e => e.Category.StartsWith("Bria.StatusBridge.Upstream", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        // ...and none of the messages holds the token.
        Assert.DoesNotContain(entries, e => e.Text.Contains(BriaClientHarness.Token, StringComparison.Ordinal));
    }
}
