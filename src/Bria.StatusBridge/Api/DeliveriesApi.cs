using System.Security.Claims;
using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Bria.StatusBridge.Retention;

namespace Bria.StatusBridge.Api;

/// <summary>A partner's webhook deliveries: lists with filters, one with all its attempts, and resending.</summary>
internal static class DeliveriesApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 250;
    private static readonly string[] States = ["Pending", "Delivered", "Failed"];

    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder routes)
    {
        var deliveries = routes.MapGroup("/v1")
            .RequireAuthorization(PartnerAuthentication.PartnerPolicy)
            .WithTags("Deliveries");

        deliveries.MapGet("/webhook-endpoints/{endpoint_id}/deliveries", ListAsync).WithName("ListDeliveries")
            .WithSummary("List an endpoint's deliveries")
            .WithDescription("Newest first. Filters: state (pending, delivered, failed), event_type, since and until (ISO 8601, on the creation time); limit (1-250, default 50) and cursor (next_cursor of the previous page).");
        deliveries.MapGet("/deliveries/{delivery_id}", GetAsync).WithName("GetDelivery").WithSummary("Get a delivery with its attempts");
        deliveries.MapPost("/deliveries/{delivery_id}/retry", RetryAsync).WithName("RetryDelivery")
            .WithSummary("Resend a delivery").WithDescription("Sends the same message (same webhook-id and body) again now.");
        return deliveries;
    }

    private static async Task<Results<Ok<DeliveryPageResponse>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string endpoint_id,
        string? state,
        string? event_type,
        DateTimeOffset? since,
        DateTimeOffset? until,
        int? limit,
        string? cursor,
        ClaimsPrincipal user,
        IEndpointStore endpoints,
        IDeliveryStore store,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var storedState = state is null ? null : States.FirstOrDefault(s => s.Equals(state, StringComparison.OrdinalIgnoreCase));
        if (state is not null && storedState is null)
        {
            errors.Add("state", $"Unknown state '{ApiProblems.Shorten(state)}': use pending, delivered or failed.");
        }

        var allTypes = WebhookEventTypes.All.Append(WebhookEndpointsApi.TestEventType).ToList();
        if (event_type is not null && !allTypes.Contains(event_type))
        {
            errors.Add("event_type", $"Unknown event type '{ApiProblems.Shorten(event_type)}': use {string.Join(", ", allTypes)}.");
        }

        if (since is not null && until is not null && until <= since)
        {
            errors.Add("until", "until must be later than since.");
        }

        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        DeliveryCursor? after = null;
        if (cursor is not null && !DeliveryCursor.TryDecode(cursor, out after))
        {
            errors.Add("cursor", "The cursor is not one this API issued: pass next_cursor from the previous page unchanged, or leave it out for the first page.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var partnerId = user.PartnerId();
        if (await endpoints.GetEndpointAsync(partnerId, endpoint_id, cancellationToken) is null)
        {
            return WebhookEndpointsApi.NotFound(endpoint_id);
        }

        var rows = await store.ListDeliveriesAsync(partnerId, endpoint_id, new DeliveryFilter(storedState, event_type, since, until, pageSize, after), cancellationToken);
        var page = rows.Take(pageSize).ToList();
        var more = rows.Count > pageSize;
        var next = more ? new DeliveryCursor(page[^1].CreatedAt.ToUnixTimeMilliseconds(), page[^1].DeliveryId).Encode() : null;
        return TypedResults.Ok(new DeliveryPageResponse([.. page.Select(ToResponse)], next, !more));
    }

    private static async Task<Results<Ok<DeliveryDetailResponse>, ProblemHttpResult>> GetAsync(
        string delivery_id, ClaimsPrincipal user, IDeliveryStore store, RetentionNotice retention, CancellationToken cancellationToken)
    {
        var delivery = await store.GetDeliveryAsync(user.PartnerId(), delivery_id, cancellationToken);
        if (delivery is null)
        {
            return NotFound(delivery_id, retention);
        }

        var attempts = await store.ListAttemptsAsync(delivery.DeliveryId, cancellationToken);
        return TypedResults.Ok(new DeliveryDetailResponse(
            delivery.DeliveryId,
            delivery.EndpointId,
            delivery.Url,
            delivery.RequestId,
            delivery.EventType,
            delivery.State.ToLowerInvariant(),
            delivery.Attempts,
            delivery.NextAttemptAt,
            delivery.CreatedAt,
            delivery.DeliveredAt,
            delivery.LastStatus,
            delivery.LastError,
            delivery.Payload,
            [.. attempts.Select(a => new AttemptResponse(a.AttemptId, a.Attempt, a.AttemptedAt, a.StatusCode, a.LatencyMs, a.ResponseBody, a.Error))]));
    }

    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> RetryAsync(
        string delivery_id, ClaimsPrincipal user, PartnerWebhooks webhooks, RetentionNotice retention, CancellationToken cancellationToken)
    {
        var result = await webhooks.RetryDeliveryAsync(user.PartnerId(), delivery_id, cancellationToken);
        return result.Status switch
        {
            PartnerActionStatus.Done => TypedResults.Accepted($"/v1/deliveries/{delivery_id}", ToResponse(result.Value!)),
            PartnerActionStatus.Disabled => WebhookEndpointsApi.Disabled(result.Endpoint!),
            _ => NotFound(delivery_id, retention),
        };
    }

    internal static DeliveryResponse ToResponse(DeliveryRecord delivery) => new(
        delivery.DeliveryId,
        delivery.EndpointId,
        delivery.Url,
        delivery.RequestId,
        delivery.EventType,
        delivery.State.ToLowerInvariant(),
        delivery.Attempts,
        delivery.NextAttemptAt,
        delivery.CreatedAt,
        delivery.DeliveredAt,
        delivery.LastStatus,
        delivery.LastError);

    private static ProblemHttpResult NotFound(string deliveryId, RetentionNotice retention) =>
        ApiProblems.NotFound(
            "Delivery", deliveryId, $"List an endpoint's deliveries with GET /v1/webhook-endpoints/{{endpoint_id}}/deliveries. {retention.ForDelivery()}".TrimEnd());
}
