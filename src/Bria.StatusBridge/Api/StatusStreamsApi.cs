using System.Globalization;
using System.Security.Claims;
using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Streams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Api;

/// <summary>Status streams: a client that waits for one request holds one connection and is told each change and the
/// outcome (server-sent events), with the partner's API key or, from a browser, a short-lived stream token.</summary>
internal static class StatusStreamsApi
{
    private const string Hint = "Track it first with POST /v1/tracked-requests.";
    private const string TokenRoute = "/v1/tracked-requests/{request_id}/stream-tokens";

    public static void MapStatusStreamsApi(this IEndpointRouteBuilder routes)
    {
        var streams = routes.MapGroup("/v1/tracked-requests").WithTags("Tracked requests");

        // Authenticated by the API key or by access_token, so not behind the partner policy: the handler decides.
        streams.MapGet("/{request_id}/events", StreamAsync).WithName("StreamTrackedRequestEvents").WithSummary("Stream a tracked request's status")
            .WithDescription("Answers text/event-stream: the current state at once (event 'state'), then each new observation of Bria's status, "
                + "ending with the outcome (event 'outcome', the same JSON as GET /v1/tracked-requests/{request_id}) and closing. A request that already ended "
                + "answers its outcome at once. If you cancel all of your tracking of the request, the stream ends with event 'cancelled' "
                + "instead (the request goes on, or pauses, without you). Idle streams get a comment line every heartbeat. On a reconnect, Last-Event-ID resumes: the outcome is never lost, "
                + "and a client that already has it gets 204. Authenticate with your API key, or (EventSource in a browser) with ?access_token= from "
                + "POST /v1/tracked-requests/{request_id}/stream-tokens. Past the open-stream limit per partner the answer is 429.")
            .Produces<TrackedRequestResponse>(StatusCodes.Status200OK, StatusStreamResult.ContentType)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        streams.MapPost("/{request_id}/stream-tokens", IssueTokenAsync).WithName("CreateStreamToken").WithSummary("Issue a browser stream token")
            .WithDescription("A short-lived token that opens this request's status stream, and nothing else: give the browser events_url "
                + "(new EventSource(events_url)) instead of your API key. It opens streams until expires_at; a stream already open is not cut.")
            .RequireAuthorization(PartnerAuthentication.PartnerPolicy);
    }

    private static async Task<IResult> StreamAsync(
        string request_id,
        [FromQuery(Name = "access_token")] string? accessToken,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventId,
        HttpContext context,
        ClaimsPrincipal user,
        StreamTokens tokens,
        StatusStreamHub hub,
        PartnerRequests requests,
        IOptions<StatusStreamOptions> options,
        CancellationToken cancellationToken)
    {
        string partnerId;
        if (user.FindFirstValue(PartnerAuthentication.PartnerIdClaim) is { } keyPartner)
        {
            partnerId = keyPartner;
        }
        else if (user.IsInRole(PartnerAuthentication.AdminRole))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Not allowed with this key",
                detail: "The operator key: partner routes need one of the partner's API keys.");
        }
        else if (accessToken is not null && tokens.Check(accessToken, request_id) is { PartnerId: { } tokenPartner })
        {
            partnerId = tokenPartner;
        }
        else
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var detail = context.Items[PartnerAuthentication.FailureItem] as string
                ?? (accessToken is null ? null : tokens.Check(accessToken, request_id).Problem)
                ?? "This call needs an API key ('Authorization: Bearer <key>' or 'X-Api-Key: <key>') or, from a browser, "
                    + $"?access_token= issued by POST {TokenRoute}.";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required", detail: detail);
        }

        if (hub.IsClosing)
        {
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Replica shutting down",
                detail: "This replica is stopping: reconnect, and another replica answers.");
        }

        // Registered before the first read, so that a change stored in between wakes the stream.
        var lease = hub.TryOpen(partnerId, request_id);
        if (lease is null)
        {
            context.Response.Headers.RetryAfter = ((int)options.Value.HeartbeatInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many open streams",
                detail: $"Your account already holds {options.Value.MaxStreamsPerPartner} open status streams on this replica: close one you no longer read, "
                    + "or use webhooks for many requests at once.");
        }

        try
        {
            var found = await requests.GetAsync(partnerId, request_id, cancellationToken);
            if (found is null)
            {
                lease.Dispose();
                return ApiProblems.NotFound("Tracked request", request_id, Hint);
            }

            var start = StatusStreamRule.Start(StatusStreamRule.EventFor(found), lastEventId);
            if (start == StatusStreamStart.AlreadyEnded)
            {
                lease.Dispose();
                return TypedResults.NoContent();
            }

            return new StatusStreamResult(lease, found, start);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static async Task<Results<Ok<StreamTokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        string request_id, ClaimsPrincipal user, PartnerRequests requests, StreamTokens tokens, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        if (await requests.GetAsync(partnerId, request_id, cancellationToken) is null)
        {
            return ApiProblems.NotFound("Tracked request", request_id, Hint);
        }

        var token = tokens.Issue(partnerId, request_id);
        var url = $"/v1/tracked-requests/{Uri.EscapeDataString(request_id)}/events?access_token={Uri.EscapeDataString(token.Token)}";
        return TypedResults.Ok(new StreamTokenResponse(request_id, token.Token, token.ExpiresAt, url));
    }
}
