using System.Security.Claims;
using System.Text.Json;
using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bria.StatusBridge.Api;

/// <summary>A partner's webhook endpoints: registration, changes, secrets, test events and recovery.</summary>
internal static class WebhookEndpointsApi
{
    public const string EndpointHint = "List your endpoints with GET /v1/webhook-endpoints.";

    /// <summary>The event type of a test message; endpoints receive it whatever they subscribed to.</summary>
    public const string TestEventType = PartnerWebhooks.TestEventType;

    public static RouteGroupBuilder MapWebhookEndpointsApi(this IEndpointRouteBuilder routes)
    {
        var endpoints = routes.MapGroup("/v1/webhook-endpoints")
            .RequireAuthorization(PartnerAuthentication.PartnerPolicy)
            .WithTags("Webhook endpoints");

        endpoints.MapPost("", CreateAsync).WithName("CreateWebhookEndpoint").WithSummary("Register a webhook endpoint")
            .WithDescription("The answer carries the endpoint's signing secret (whsec_...); GET .../secret shows it again.");
        endpoints.MapGet("", ListAsync).WithName("ListWebhookEndpoints").WithSummary("List webhook endpoints");
        endpoints.MapGet("/{endpoint_id}", GetAsync).WithName("GetWebhookEndpoint").WithSummary("Get a webhook endpoint");
        endpoints.MapPatch("/{endpoint_id}", UpdateAsync).WithName("UpdateWebhookEndpoint").WithSummary("Update a webhook endpoint");
        endpoints.MapDelete("/{endpoint_id}", DeleteAsync).WithName("DeleteWebhookEndpoint").WithSummary("Delete a webhook endpoint")
            .WithDescription("Pending deliveries to the endpoint fail; its delivery history stays readable by id.");
        endpoints.MapPost("/{endpoint_id}/disable", DisableAsync).WithName("DisableWebhookEndpoint").WithSummary("Disable a webhook endpoint");
        endpoints.MapPost("/{endpoint_id}/enable", EnableAsync).WithName("EnableWebhookEndpoint").WithSummary("Enable a webhook endpoint");
        endpoints.MapGet("/{endpoint_id}/secret", GetSecretAsync).WithName("GetWebhookEndpointSecret").WithSummary("Get the signing secret");
        endpoints.MapPost("/{endpoint_id}/secret/rotate", RotateSecretAsync).WithName("RotateWebhookEndpointSecret").WithSummary("Rotate the signing secret")
            .WithDescription("Messages are signed with the new and the previous secret for 24 hours.");
        endpoints.MapPost("/{endpoint_id}/test", SendTestAsync).WithName("SendWebhookTestEvent").WithSummary("Send a test event")
            .WithDescription("Queues a signed webhook.test message to the endpoint through the delivery engine.");
        endpoints.MapPost("/{endpoint_id}/recover", RecoverAsync).WithName("RecoverWebhookDeliveries").WithSummary("Resend failed deliveries since a time");
        return endpoints;
    }

    private static async Task<Results<Created<CreatedEndpointResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateEndpointBody body, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var result = await webhooks.CreateEndpointAsync(user.PartnerId(), new EndpointInput(body.Url, body.EventTypes, body.Description), cancellationToken);
        if (result.Status == PartnerActionStatus.Invalid)
        {
            return Invalid(result);
        }

        if (result.Value is not { } endpoint)
        {
            return Problem(result, "");
        }

        return TypedResults.Created(
            $"/v1/webhook-endpoints/{endpoint.EndpointId}",
            new CreatedEndpointResponse(endpoint.EndpointId, endpoint.Url, endpoint.Description, endpoint.EventTypes, true, endpoint.CreatedAt, endpoint.Secret));
    }

    private static async Task<Ok<ListResponse<EndpointResponse>>> ListAsync(ClaimsPrincipal user, IEndpointStore store, CancellationToken cancellationToken)
    {
        var endpoints = await store.ListEndpointsAsync(user.PartnerId(), cancellationToken);
        return TypedResults.Ok(new ListResponse<EndpointResponse>([.. endpoints.Select(ToResponse)]));
    }

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> GetAsync(
        string endpoint_id, ClaimsPrincipal user, IEndpointStore store, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetEndpointAsync(user.PartnerId(), endpoint_id, cancellationToken);
        return endpoint is null ? NotFound(endpoint_id) : TypedResults.Ok(ToResponse(endpoint));
    }

    private static async Task<Results<Ok<EndpointResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string endpoint_id, UpdateEndpointBody body, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        if (body.Url is null && body.EventTypes is null && body.Description is null)
        {
            // No field is wrong: the body as a whole says nothing.
            return ApiProblems.Invalid("Nothing to update", "Send at least one of url, event_types or description, for example {\"event_types\":[\"request.failed\"]}.");
        }

        var result = await webhooks.UpdateEndpointAsync(user.PartnerId(), endpoint_id, new EndpointInput(body.Url, body.EventTypes, body.Description), cancellationToken);
        if (result.Status == PartnerActionStatus.Invalid)
        {
            return Invalid(result);
        }

        return result.Value is { } updated ? TypedResults.Ok(ToResponse(updated)) : Problem(result, endpoint_id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string endpoint_id, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var deleted = await webhooks.DeleteEndpointAsync(user.PartnerId(), endpoint_id, cancellationToken);
        return deleted ? TypedResults.NoContent() : NotFound(endpoint_id);
    }

    private static Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> DisableAsync(
        string endpoint_id, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken) =>
        SetEnabledAsync(endpoint_id, false, user, webhooks, cancellationToken);

    private static Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> EnableAsync(
        string endpoint_id, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken) =>
        SetEnabledAsync(endpoint_id, true, user, webhooks, cancellationToken);

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> SetEnabledAsync(
        string endpointId, bool enabled, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var endpoint = await webhooks.SetEndpointEnabledAsync(user.PartnerId(), endpointId, enabled, cancellationToken);
        return endpoint is null ? NotFound(endpointId) : TypedResults.Ok(ToResponse(endpoint));
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> GetSecretAsync(
        string endpoint_id, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var secrets = await webhooks.GetSecretsAsync(user.PartnerId(), endpoint_id, cancellationToken);
        return secrets is null ? NotFound(endpoint_id) : TypedResults.Ok(new SecretResponse(secrets.Current, secrets.PreviousExpiresAt));
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RotateSecretAsync(
        string endpoint_id, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var rotated = await webhooks.RotateSecretAsync(user.PartnerId(), endpoint_id, cancellationToken);
        return rotated is null ? NotFound(endpoint_id) : TypedResults.Ok(new SecretResponse(rotated.Current, rotated.PreviousExpiresAt));
    }

    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> SendTestAsync(
        string endpoint_id, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var result = await webhooks.SendTestEventAsync(user.PartnerId(), endpoint_id, cancellationToken);
        return result.Value is { } delivery
            ? TypedResults.Accepted($"/v1/deliveries/{delivery.DeliveryId}", DeliveriesApi.ToResponse(delivery))
            : Problem(result, endpoint_id);
    }

    private static async Task<Results<Ok<RecoverResponse>, ValidationProblem, ProblemHttpResult>> RecoverAsync(
        string endpoint_id, RecoverBody body, ClaimsPrincipal user, PartnerWebhooks webhooks, CancellationToken cancellationToken)
    {
        var result = await webhooks.RecoverFailedAsync(user.PartnerId(), endpoint_id, body.Since, cancellationToken);
        if (result.Status == PartnerActionStatus.Invalid)
        {
            return Invalid(result);
        }

        if (result.Status != PartnerActionStatus.Done)
        {
            return Problem(result, endpoint_id);
        }

        return TypedResults.Ok(new RecoverResponse(endpoint_id, body.Since!.Value, result.Value));
    }

    /// <summary>The API's answer to an action refused for its input.</summary>
    internal static ValidationProblem Invalid<T>(PartnerActionResult<T> result) => ApiProblems.Validation(result.Errors!.ToDictionary());

    /// <summary>The API's answer to an action not done for another reason than its input.</summary>
    internal static ProblemHttpResult Problem<T>(PartnerActionResult<T> result, string endpointId) => result.Status switch
    {
        PartnerActionStatus.Refused => Refused(result.Refusal!, "url"),
        PartnerActionStatus.Disabled => Disabled(result.Endpoint!),
        _ => NotFound(endpointId),
    };

    internal static ProblemHttpResult NotFound(string endpointId) => ApiProblems.NotFound("Webhook endpoint", endpointId, EndpointHint);

    internal static ProblemHttpResult Disabled(EndpointRecord endpoint) => ApiProblems.Conflict(
        "Webhook endpoint disabled",
        $"Endpoint '{endpoint.EndpointId}' is disabled ({endpoint.DisabledReason ?? "no reason recorded"}): enable it with POST /v1/webhook-endpoints/{endpoint.EndpointId}/enable first.");

    internal static ProblemHttpResult Refused(UrlCheckResult refusal, string field)
    {
        var detail = $"{refusal.Message} Register a public URL, or ask the operator to allow-list the subnet (Webhooks__AllowedSubnets).";
        return ApiProblems.Invalid(
            "Webhook URL refused",
            detail,
            new Dictionary<string, object?> { ["rule"] = refusal.Rule, ["errors"] = new Dictionary<string, string[]> { [field] = [$"{field}: {detail}"] } });
    }

    private static EndpointResponse ToResponse(EndpointRecord endpoint) => new(
        endpoint.EndpointId,
        endpoint.Url,
        endpoint.Description,
        endpoint.EventTypes,
        endpoint.DisabledAt is null,
        endpoint.DisabledAt,
        endpoint.DisabledReason,
        endpoint.FailingSince,
        endpoint.CreatedAt,
        endpoint.UpdatedAt);
}
