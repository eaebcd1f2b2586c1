using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Upstream;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Api;

/// <summary><c>POST /v1/bria/webhooks</c>: Bria's own webhooks, authenticated by Bria's signature instead of an API key.
/// Answers 200 only once the observation is stored; a refused post gets a ProblemDetails naming the rule it broke.</summary>
internal static class BriaWebhooksApi
{
    public const string Path = "/v1/bria/webhooks";

    public static RouteHandlerBuilder MapBriaWebhooksApi(this IEndpointRouteBuilder routes) =>
        routes.MapPost(Path, ReceiveAsync)
            .AllowAnonymous()
            .WithName("ReceiveBriaWebhook")
            .WithTags("Bria webhooks")
            .WithSummary("Receive a webhook from Bria")
            .WithDescription("Bria's own webhook (submit with webhook_url set to this URL, Bria__WebhookPublicUrl): signed by Bria with a key derived from the bridge's Bria api_token instead of an API key. A terminal body ends the tracked request as a poll would; a duplicate changes nothing; a non-terminal body makes the request due for a poll; a webhook for a request not tracked yet waits for its TrackRequest. Answers 200 once stored.");

    private static async Task<Results<Ok<BriaWebhookAnswer>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, BriaPushService push, IOptions<BriaOptions> bria, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        var result = body is null
            ? push.Refuse(BriaWebhookRule.BodyTooLarge)
            : await push.ReceiveAsync(
                request.Headers["Bria-Webhook-Id"].ToString(),
                request.Headers["Bria-Webhook-Timestamp"].ToString(),
                request.Headers["Bria-Webhook-Signature"].ToString(),
                body,
                cancellationToken);

        if (result.Refusal is { } rule)
        {
            return TypedResults.Problem(
                statusCode: BriaWebhookRules.StatusOf(rule),
                title: BriaWebhookRules.TitleOf(rule),
                detail: BriaWebhookRules.DetailOf(rule, bria.Value.WebhookTolerance),
                extensions: new Dictionary<string, object?> { ["rule"] = BriaWebhookRules.TagOf(rule) });
        }

        return TypedResults.Ok(new BriaWebhookAnswer(request.Headers["Bria-Webhook-Id"].ToString(), result.Result!));
    }

    /// <summary>The raw body, byte for byte as signed, or null when it is over the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > BriaPushService.MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > BriaPushService.MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
