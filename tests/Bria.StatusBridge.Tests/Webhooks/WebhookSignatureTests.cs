using System.Net;
using System.Text;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Bria.StatusBridge.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Body = """{"type":"request.completed","timestamp":"2025-01-01T00:00:00.000Z","data":{"request_id":"r-1"}}""";

    [Fact]
    public void Generated_secrets_are_whsec_with_32_random_bytes()
    {
        var first = WebhookSecret.Generate();
        var second = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.True(WebhookSecret.TryGetKey(first, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("whsec_not-base64!")]
    [InlineData("whsec_AAAA")]
    public void Malformed_or_short_secrets_are_invalid(string? secret) => Assert.False(WebhookSecret.IsValid(secret));

    [Fact]
    public async Task Sent_webhook_verifies_with_the_StandardWebhooks_package()
    {
        var secret = WebhookSecret.Generate();
        var sent = await SendAsync(new SigningSecrets(secret, null, null), DateTimeOffset.UtcNow);

        Assert.Equal("msg_test", sent.Headers["webhook-id"]);
        Assert.Single(sent.Headers["webhook-signature"].ToString().Split(' '));
        new StandardWebhook(secret).Verify(sent.Body, sent.Headers);
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.Generate()).Verify(sent.Body, sent.Headers));
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_and_each_verifies()
    {
        var now = DateTimeOffset.UtcNow;
        var old = new SigningSecrets(WebhookSecret.Generate(), null, null);
        var rotated = old.Rotate(null, now, TimeSpan.FromHours(24));

        var sent = await SendAsync(rotated, now);

        var signatures = sent.Headers["webhook-signature"].ToString().Split(' ');
        Assert.Equal(2, signatures.Distinct().Count());
        Assert.All(signatures, s => Assert.StartsWith("v1,", s, StringComparison.Ordinal));
        new StandardWebhook(rotated.Current).Verify(sent.Body, sent.Headers);
        new StandardWebhook(old.Current).Verify(sent.Body, sent.Headers);
        Assert.Equal(old.Current, rotated.Previous);
        Assert.Equal(now + TimeSpan.FromHours(24), rotated.PreviousExpiresAt);
    }

    [Fact]
    public void After_the_overlap_only_the_new_secret_signs()
    {
        var now = DateTimeOffset.UtcNow;
        var rotated = new SigningSecrets(WebhookSecret.Generate(), null, null).Rotate(null, now, TimeSpan.FromHours(24));

        Assert.Equal(2, rotated.ActiveAt(now + TimeSpan.FromHours(23)).Count);
        Assert.Equal([rotated.Current], rotated.ActiveAt(now + TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Signature_matches_the_specification_example()
    {
        // The example from the Standard Webhooks specification.
        var signature = WebhookSigner.Sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            Encoding.UTF8.GetBytes("""{"test": 2432232314}"""),
            ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    private static async Task<Sent> SendAsync(SigningSecrets secrets, DateTimeOffset now)
    {
        var handler = new CapturingHandler();
        var options = Options.Create(new WebhookOptions { RequireHttps = true });
        var sender = new WebhookSender(
            new SingleClientFactory(handler),
            new WebhookUrlPolicy(new WebhookAddressPolicy([]), options),
            options,
            new FakeTimeProvider(now));
        var delivery = new ClaimedDelivery(
            "msg_test", "ep_1", "p_1", new Uri("https://receiver.example/hook"), "endpoint:ep_1", "r-1",
            WebhookEventTypes.RequestCompleted, Body, 0, null, secrets);

        var attempt = await sender.SendAsync(delivery, CancellationToken.None);

        Assert.Equal(200, attempt.StatusCode);
        var request = Assert.Single(handler.Requests);
        var headers = new HeaderDictionary();
        foreach (var name in new[] { "webhook-id", "webhook-timestamp", "webhook-signature" })
        {
            headers[name] = string.Join(',', request.Headers.GetValues(name));
        }

        Assert.Equal(now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers["webhook-timestamp"]);
        Assert.Equal(Body, handler.Bodies.Single());
        return new Sent(headers, handler.Bodies.Single());
    }

    [Fact]
    public async Task Http_url_is_not_sent_when_https_is_required()
    {
        var handler = new CapturingHandler();
        var options = Options.Create(new WebhookOptions { RequireHttps = true });
        var sender = new WebhookSender(new SingleClientFactory(handler), new WebhookUrlPolicy(new WebhookAddressPolicy([]), options), options, TimeProvider.System);
        var delivery = new ClaimedDelivery(
            "msg_plain", null, null, new Uri("http://receiver.example/hook"), "url:http://receiver.example", "r-1",
            WebhookEventTypes.RequestCompleted, Body, 0, null, new SigningSecrets(WebhookSecret.Generate(), null, null));

        var attempt = await sender.SendAsync(delivery, CancellationToken.None);

        Assert.Null(attempt.StatusCode);
        Assert.Contains("HTTPS", attempt.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    private sealed record Sent(HeaderDictionary Headers, string Body);

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("ok") };
        }
    }

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
