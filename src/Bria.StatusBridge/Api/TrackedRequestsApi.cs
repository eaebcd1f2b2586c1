using System.Security.Claims;
using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Bria.StatusBridge.Retention;

namespace Bria.StatusBridge.Api;

/// <summary>Tracking over HTTP: the same command as <c>TrackRequest</c> on the bus, for the calling partner.</summary>
internal static class TrackedRequestsApi
{
    private const string Hint = "Track it first with POST /v1/tracked-requests.";

    public static RouteGroupBuilder MapTrackedRequestsApi(this IEndpointRouteBuilder routes)
    {
        var tracked = routes.MapGroup("/v1/tracked-requests")
            .RequireAuthorization(PartnerAuthentication.PartnerPolicy)
            .WithTags("Tracked requests");

        tracked.MapPost("", TrackAsync).WithName("TrackRequest").WithSummary("Track a Bria request")
            .WithDescription("Polls Bria for the request until it ends, then notifies your webhook endpoints (and webhook_url, if given). Tracking the same request again adds a subscription; it never starts a second poll loop. Tracking again with the correlation_id and webhook_url of a subscription you cancelled answers 409: use a new correlation_id.");
        tracked.MapGet("/{request_id}", GetAsync).WithName("GetTrackedRequest").WithSummary("Get a tracked request")
            .WithDescription("State, last observation, result or error, your subscriptions and your deliveries for the request.");
        tracked.MapPost("/{request_id}/cancel", CancelAsync).WithName("CancelTrackedRequest").WithSummary("Cancel tracking")
            .WithDescription("Ends your subscriptions (notifying them with request.failed, reason Cancelled, unless the operator turned that off); polling pauses only when nobody else waits for the request (outcome request_cancelled), and resumes when anyone tracks it again: a cancellation never ends the request for other or later subscribers.");
        return tracked;
    }

    private static async Task<Results<Accepted<TrackAcceptedResponse>, ValidationProblem, ProblemHttpResult>> TrackAsync(
        TrackRequestBody body, ClaimsPrincipal user, TrackingService tracking, TrackRequestValidator validator, WebhookUrlPolicy policy, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var statusUrl = ParseStatusUrl(body.StatusUrl, errors);
        var webhookUrl = ParseWebhookUrl(body.WebhookUrl, errors);
        var command = new TrackRequest
        {
            RequestId = body.RequestId ?? "",
            StatusUrl = statusUrl,
            CorrelationId = body.CorrelationId,
            PartnerId = user.PartnerId(),
            WebhookUrl = webhookUrl,
            EndpointKind = body.EndpointKind ?? EndpointKind.Image,
            Deadline = body.Deadline,
            Metadata = body.Metadata,
            BriaPushes = body.BriaPushes ?? false,
        };

        // The same rules as the bus, each problem under the field the caller wrote.
        errors.AddRange(validator.Validate(command));
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        if (webhookUrl is not null && await policy.CheckAsync(webhookUrl, cancellationToken) is { Allowed: false } refusal)
        {
            return WebhookEndpointsApi.Refused(refusal, "webhook_url");
        }

        try
        {
            var result = await tracking.TrackAsync(command, cancellationToken);
            if (result.SubscriberCancelled)
            {
                return ApiProblems.Conflict(
                    "Tracking was cancelled",
                    $"You cancelled this tracking of '{ApiProblems.Shorten(command.RequestId)}' (the same correlation_id and webhook_url), and a cancellation is final. "
                    + "To track the request again, send a new correlation_id.");
            }

            return TypedResults.Accepted(
                $"/v1/tracked-requests/{Uri.EscapeDataString(command.RequestId)}",
                new TrackAcceptedResponse(command.RequestId, WireNames.Of(result.State), result.SubscriberId, result.NewRequest, result.NewSubscriber));
        }
        catch (InvalidTrackRequestException exception)
        {
            // Time passed since the check above (a deadline that has just gone by).
            errors.AddRange(exception.Problems);
            return ApiProblems.Validation(errors.ToDictionary());
        }
    }

    private static async Task<Results<Ok<TrackedRequestResponse>, ProblemHttpResult>> GetAsync(
        string request_id, ClaimsPrincipal user, PartnerRequests requests, RetentionNotice retention, CancellationToken cancellationToken)
    {
        var found = await requests.GetAsync(user.PartnerId(), request_id, cancellationToken);
        if (found is null)
        {
            return ApiProblems.NotFound("Tracked request", request_id, $"{Hint} {retention.ForRequest()}".TrimEnd());
        }

        return TypedResults.Ok(ToResponse(found));
    }

    /// <summary>The request view as the API answers it: also the data of every status stream event.</summary>
    public static TrackedRequestResponse ToResponse(PartnerRequestView found)
    {
        var (view, own, deliveries) = found;
        var outcome = view.Outcome;
        return new TrackedRequestResponse(
            view.RequestId,
            view.Kind,
            WireNames.Of(view.State),
            view.CreatedAt,
            view.Deadline,
            view.NextPollAt,
            view.Polls,
            view.LastPolledAt,
            WireNames.Observation(view.LastObservation),
            view.LastHttpStatus,
            outcome?.Result,
            outcome?.Reason,
            outcome?.Error,
            outcome?.FinishedAt,
            view.NoticedAt,
            [.. own.Select(s => new SubscriberResponse(s.SubscriberId, s.CorrelationId, s.WebhookUrl, s.Metadata, s.CreatedAt, s.CancelledAt))],
            [.. deliveries.Select(DeliveriesApi.ToResponse)]);
    }

    private static async Task<Results<Ok<CancelResponse>, ProblemHttpResult>> CancelAsync(
        string request_id, ClaimsPrincipal user, TrackingService tracking, Microsoft.Extensions.Options.IOptions<TrackingOptions> options, RetentionNotice retention, CancellationToken cancellationToken)
    {
        var result = await tracking.CancelAsync(request_id, user.PartnerId(), cancellationToken);
        var notified = options.Value.NotifyOnCancel;
        return result switch
        {
            CancelResult.CancelledSubscription => TypedResults.Ok(new CancelResponse(request_id, "subscription_cancelled", notified)),
            CancelResult.CancelledRequest => TypedResults.Ok(new CancelResponse(request_id, "request_cancelled", notified)),
            CancelResult.AlreadyEnded => ApiProblems.Conflict(
                "Request already ended",
                $"Request '{ApiProblems.Shorten(request_id)}' has already ended and its outcome was sent: there is nothing to cancel. GET /v1/tracked-requests/{{request_id}} shows it."),
            CancelResult.AlreadyCancelled => ApiProblems.Conflict(
                "Tracking already cancelled",
                $"Your tracking of '{ApiProblems.Shorten(request_id)}' was already cancelled: there is nothing left to cancel."),
            _ => ApiProblems.NotFound("Tracked request", request_id, $"{Hint} {retention.ForRequest()}".TrimEnd()),
        };
    }

    private static Uri? ParseStatusUrl(string? value, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var url))
        {
            return url;
        }

        errors.Add(new FieldProblem(nameof(TrackRequest.StatusUrl), $"'{ApiProblems.Shorten(value)}' is not an absolute URL: give the status_url of Bria's 202 answer, or leave it out."));
        return null;
    }

    private static Uri? ParseWebhookUrl(string? value, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (!WebhookUrlRule.TryParse(value, out var url, out var problem))
        {
            errors.Add(new FieldProblem(nameof(TrackRequest.WebhookUrl), problem!));
        }

        return url;
    }
}
