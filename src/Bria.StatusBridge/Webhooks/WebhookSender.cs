using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Makes one signed attempt: POSTs the stored body with the Standard Webhooks headers, within the timeout,
/// without following redirects, and keeps the first bytes of the answer.</summary>
internal sealed class WebhookSender(IHttpClientFactory clients, WebhookUrlPolicy urls, IOptions<WebhookOptions> options, TimeProvider time)
{
    /// <summary>The named client: SSRF-guarded connections, no redirects, no proxy, no retry handler.</summary>
    public const string ClientName = "webhooks";

    /// <summary>Marks a request as a webhook, so that the HttpClient span records no path or query of its URL.</summary>
    public static readonly HttpRequestOptionsKey<bool> WebhookRequest = new("Bria.StatusBridge.Webhook");

    private readonly WebhookOptions _options = options.Value;

    public async Task<AttemptResult> SendAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var secrets = delivery.Secrets?.ActiveAt(startedAt)
            ?? (WebhookSecret.IsValid(_options.SigningSecret) ? [_options.SigningSecret!] : null);
        if (secrets is null)
        {
            return new AttemptResult(startedAt, null, TimeSpan.Zero, null,
                "Not sent: no signing secret. Set Webhooks__SigningSecret to sign per-request webhook URLs of subscribers without a partner.");
        }

        // Per-request URLs come from the bus unchecked, and settings change: the scheme and HTTPS rules apply to
        // every attempt (the connect guard judges the addresses).
        if (urls.CheckSyntax(delivery.Url) is { Allowed: false } refused)
        {
            return new AttemptResult(startedAt, null, TimeSpan.Zero, null, $"Not sent: {refused.Message}");
        }

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        var timestamp = startedAt.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Options.Set(WebhookRequest, true);
        request.Headers.TryAddWithoutValidation("webhook-id", delivery.DeliveryId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSigner.Sign(delivery.DeliveryId, timestamp, body, secrets));

        using var timeout = new CancellationTokenSource(_options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        var client = clients.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - startedAt,
                _ => (TimeSpan?)null,
            };
            string? text = null;
            string? error = null;
            try
            {
                text = await ReadCappedAsync(response.Content, _options.MaxResponseBytes, linked.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
            {
                stoppingToken.ThrowIfCancellationRequested();
                error = $"The answer's body could not be read within {_options.Timeout.TotalSeconds:0.###} s: {exception.Message}";
            }

            return new AttemptResult(startedAt, status, time.GetElapsedTime(started), text, error, retryAfter);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return new AttemptResult(startedAt, null, time.GetElapsedTime(started), null,
                $"Timed out: no answer within {_options.Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException exception)
        {
            return new AttemptResult(startedAt, null, time.GetElapsedTime(started), null, Describe(exception));
        }
    }

    /// <summary>The refusal of the SSRF guard if there was one (it names the rule), otherwise the innermost cause.</summary>
    private static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is WebhookAddressRefusedException refused)
            {
                return refused.Message;
            }
        }

        var inner = exception.InnerException is { } cause ? $" ({cause.Message})" : "";
        return $"{exception.Message}{inner}";
    }

    private static async Task<string?> ReadCappedAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (maxBytes <= 0)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[maxBytes];
        var filled = 0;
        while (filled < maxBytes)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, maxBytes - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled == 0 ? null : Encoding.UTF8.GetString(buffer, 0, filled);
    }
}
