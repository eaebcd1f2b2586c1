using System.Security.Claims;
using System.Text.Json;
using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bria.StatusBridge.Api;

/// <summary>A partner's webhook endpoints: registration, changes, secrets, test events and recovery.</summary>
internal static class WebhookEndpointsApi
{
    public const string EndpointHint = "List your endpoints with GET /v1/webhook-endpoints.";

    private const int MaxUrlLength = 2048;
    private const int MaxDescriptionLength = 500;

    /// <summary>The event type of a test message; endpoints receive it whatever they subscribed to.</summary>
    public const string TestEventType = "webhook.test";

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
        CreateEndpointBody body, ClaimsPrincipal user, IEndpointStore store, WebhookUrlPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var url = ValidateUrl(body.Url, required: true, errors);
        var eventTypes = ValidateEventTypes(body.EventTypes, required: true, errors);
        var description = ValidateDescription(body.Description, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        if (await policy.CheckAsync(url!, cancellationToken) is { Allowed: false } refusal)
        {
            return Refused(refusal);
        }

        var now = time.GetUtcNow();
        var endpoint = new EndpointRecord(
            Ids.New(Ids.Endpoint), user.PartnerId(), url!, string.IsNullOrEmpty(description) ? null : description, eventTypes!,
            WebhookSecret.Generate(), null, null, null, null, null, now, now);
        await store.InsertEndpointAsync(endpoint, cancellationToken);
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
        string endpoint_id, UpdateEndpointBody body, ClaimsPrincipal user, IEndpointStore store, WebhookUrlPolicy policy, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var url = ValidateUrl(body.Url, required: false, errors);
        var eventTypes = ValidateEventTypes(body.EventTypes, required: false, errors);
        var description = ValidateDescription(body.Description, errors);
        if (url is null && eventTypes is null && description is null && !errors.Any)
        {
            errors.Add("body", "Send at least one of url, event_types or description.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var partnerId = user.PartnerId();
        if (await store.GetEndpointAsync(partnerId, endpoint_id, cancellationToken) is null)
        {
            return NotFound(endpoint_id);
        }

        if (url is not null && await policy.CheckAsync(url, cancellationToken) is { Allowed: false } refusal)
        {
            return Refused(refusal);
        }

        var updated = await store.UpdateEndpointAsync(partnerId, endpoint_id, new EndpointChanges(url, eventTypes, description), time.GetUtcNow(), cancellationToken);
        return updated is null ? NotFound(endpoint_id) : TypedResults.Ok(ToResponse(updated));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string endpoint_id, ClaimsPrincipal user, WebhookEndpointRemover remover, TimeProvider time, CancellationToken cancellationToken)
    {
        var deleted = await remover.DeleteAsync(user.PartnerId(), endpoint_id, time.GetUtcNow(), cancellationToken);
        return deleted ? TypedResults.NoContent() : NotFound(endpoint_id);
    }

    private static Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> DisableAsync(
        string endpoint_id, ClaimsPrincipal user, IEndpointStore store, TimeProvider time, CancellationToken cancellationToken) =>
        SetEnabledAsync(endpoint_id, false, user, store, time, cancellationToken);

    private static Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> EnableAsync(
        string endpoint_id, ClaimsPrincipal user, IEndpointStore store, TimeProvider time, CancellationToken cancellationToken) =>
        SetEnabledAsync(endpoint_id, true, user, store, time, cancellationToken);

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> SetEnabledAsync(
        string endpointId, bool enabled, ClaimsPrincipal user, IEndpointStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await store.SetEndpointEnabledAsync(user.PartnerId(), endpointId, enabled, time.GetUtcNow(), cancellationToken);
        return endpoint is null ? NotFound(endpointId) : TypedResults.Ok(ToResponse(endpoint));
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> GetSecretAsync(
        string endpoint_id, ClaimsPrincipal user, IEndpointStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetEndpointAsync(user.PartnerId(), endpoint_id, cancellationToken);
        return endpoint is null ? NotFound(endpoint_id) : TypedResults.Ok(ToSecret(endpoint, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RotateSecretAsync(
        string endpoint_id, ClaimsPrincipal user, IEndpointStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        if (await store.GetEndpointAsync(partnerId, endpoint_id, cancellationToken) is null)
        {
            return NotFound(endpoint_id);
        }

        var now = time.GetUtcNow();
        var rotated = await store.RotateEndpointSecretAsync(partnerId, endpoint_id, null, now, cancellationToken);
        return rotated is null
            ? NotFound(endpoint_id)
            : TypedResults.Ok(new SecretResponse(rotated.Current, rotated.ActiveAt(now).Count > 1 ? rotated.PreviousExpiresAt : null));
    }

    private static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> SendTestAsync(
        string endpoint_id, ClaimsPrincipal user, IEndpointStore store, IDeliveryStore deliveries, WebhookWakeSignal webhooks, TimeProvider time, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var endpoint = await store.GetEndpointAsync(partnerId, endpoint_id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(endpoint_id);
        }

        if (endpoint.DisabledAt is not null)
        {
            return Disabled(endpoint);
        }

        var now = time.GetUtcNow();
        var payload = JsonSerializer.Serialize(new
        {
            type = TestEventType,
            timestamp = now,
            data = new { endpoint_id = endpoint.EndpointId, message = "A test event from Bria.StatusBridge: your endpoint receives and verifies webhooks." },
        });
        var delivery = await deliveries.EnqueueDeliveryAsync(partnerId, endpoint, TestEventType, null, payload, now, cancellationToken);
        webhooks.Wake();
        return TypedResults.Accepted($"/v1/deliveries/{delivery.DeliveryId}", DeliveriesApi.ToResponse(delivery));
    }

    private static async Task<Results<Ok<RecoverResponse>, ValidationProblem, ProblemHttpResult>> RecoverAsync(
        string endpoint_id, RecoverBody body, ClaimsPrincipal user, IEndpointStore store, IDeliveryStore deliveries, WebhookWakeSignal webhooks, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (body.Since is not { } since || since > now)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["since"] = [$"Give since as an ISO 8601 time in the past, e.g. {{\"since\": \"{now.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}\"}}: failed deliveries created since then are sent again."],
            });
        }

        var partnerId = user.PartnerId();
        var endpoint = await store.GetEndpointAsync(partnerId, endpoint_id, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(endpoint_id);
        }

        if (endpoint.DisabledAt is not null)
        {
            return Disabled(endpoint);
        }

        var recovered = await deliveries.RecoverFailedAsync(partnerId, endpoint_id, since, now, cancellationToken);
        webhooks.Wake();
        return TypedResults.Ok(new RecoverResponse(endpoint_id, since, recovered));
    }

    internal static ProblemHttpResult NotFound(string endpointId) => ApiProblems.NotFound("Webhook endpoint", endpointId, EndpointHint);

    internal static ProblemHttpResult Disabled(EndpointRecord endpoint) => ApiProblems.Conflict(
        "Webhook endpoint disabled",
        $"Endpoint '{endpoint.EndpointId}' is disabled ({endpoint.DisabledReason ?? "no reason recorded"}): enable it with POST /v1/webhook-endpoints/{endpoint.EndpointId}/enable first.");

    internal static ProblemHttpResult Refused(UrlCheckResult refusal) => ApiProblems.Invalid(
        "Webhook URL refused",
        $"{refusal.Message} Register a public URL, or ask the operator to allow-list the subnet (Webhooks__AllowedSubnets).",
        new Dictionary<string, object?> { ["rule"] = refusal.Rule });

    private static Uri? ValidateUrl(string? value, bool required, FieldErrors errors)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add("url", "Give the URL that receives the webhooks, e.g. \"https://example.com/webhooks/bria\".");
            }

            return null;
        }

        if (value.Length > MaxUrlLength)
        {
            errors.Add("url", $"The URL is {value.Length} characters long: use at most {MaxUrlLength}.");
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add("url", $"'{ApiProblems.Shorten(value)}' is not an absolute http or https URL: write it like \"https://example.com/webhooks/bria\".");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            errors.Add("url", "Remove the user name and password from the URL: verify webhooks with the signing secret instead.");
            return null;
        }

        if (url.Fragment.Length > 0)
        {
            errors.Add("url", "Remove the '#fragment' from the URL: it is never sent to the server.");
            return null;
        }

        return url;
    }

    private static List<string>? ValidateEventTypes(IReadOnlyList<string>? values, bool required, FieldErrors errors)
    {
        var allowed = string.Join(", ", WebhookEventTypes.All);
        if (values is null)
        {
            if (required)
            {
                errors.Add("event_types", $"List the event types to receive: one or more of {allowed}.");
            }

            return null;
        }

        if (values.Count == 0)
        {
            errors.Add("event_types", $"List at least one event type: {allowed}.");
            return null;
        }

        var unknown = values.Where(v => !WebhookEventTypes.All.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("event_types", $"Unknown event type(s) {string.Join(", ", unknown.Select(u => $"'{ApiProblems.Shorten(u ?? "null")}'"))}: use {allowed}.");
            return null;
        }

        return [.. values.Distinct(StringComparer.Ordinal)];
    }

    private static string? ValidateDescription(string? value, FieldErrors errors)
    {
        if (value is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"The description is {value.Length} characters long: use at most {MaxDescriptionLength}.");
        }

        return value?.Trim();
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

    private static SecretResponse ToSecret(EndpointRecord endpoint, DateTimeOffset now) => new(
        endpoint.Secret,
        endpoint.PreviousSecret is not null && endpoint.PreviousSecretExpiresAt > now ? endpoint.PreviousSecretExpiresAt : null);
}
