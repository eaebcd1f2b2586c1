using System.Text.Json;
using Bria.StatusBridge.Api;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Partners;

/// <summary>A partner's actions on its webhook endpoints and deliveries, with every rule they follow (field checks,
/// the URL policy, disabled endpoints, waking the delivery engine). The HTTP API and the portal both call this, so no
/// rule is written twice; isolation is in the store's queries, which always take the partner id.</summary>
internal sealed class PartnerWebhooks(
    IEndpointStore store,
    IDeliveryStore deliveries,
    WebhookEndpointRemover remover,
    WebhookUrlPolicy policy,
    WebhookWakeSignal webhooks,
    TimeProvider time)
{
    /// <summary>The event type of a test message; endpoints receive it whatever they subscribed to.</summary>
    public const string TestEventType = "webhook.test";

    public Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(string partnerId, CancellationToken cancellationToken) =>
        store.ListEndpointsAsync(partnerId, cancellationToken);

    public Task<EndpointRecord?> GetEndpointAsync(string partnerId, string endpointId, CancellationToken cancellationToken) =>
        store.GetEndpointAsync(partnerId, endpointId, cancellationToken);

    /// <summary>A page of an endpoint's deliveries, newest first, one more than asked when more follow.</summary>
    public Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string partnerId, string endpointId, DeliveryFilter filter, CancellationToken cancellationToken) =>
        deliveries.ListDeliveriesAsync(partnerId, endpointId, filter, cancellationToken);

    /// <summary>One of the partner's deliveries with every attempt; null when it is not the partner's.</summary>
    public async Task<(DeliveryRecord Delivery, IReadOnlyList<AttemptRecord> Attempts)?> GetDeliveryAsync(string partnerId, string deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetDeliveryAsync(partnerId, deliveryId, cancellationToken);
        return delivery is null ? null : (delivery, await deliveries.ListAttemptsAsync(delivery.DeliveryId, cancellationToken));
    }

    public async Task<PartnerActionResult<EndpointRecord>> CreateEndpointAsync(string partnerId, EndpointInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var url = EndpointRules.ValidateUrl(input.Url, required: true, errors);
        var eventTypes = EndpointRules.ValidateEventTypes(input.EventTypes, required: true, errors);
        var description = EndpointRules.ValidateDescription(input.Description, errors);
        if (errors.Any)
        {
            return PartnerActionResult<EndpointRecord>.Invalid(errors.ToDictionary());
        }

        if (await policy.CheckAsync(url!, cancellationToken) is { Allowed: false } refusal)
        {
            return PartnerActionResult<EndpointRecord>.Refused(refusal);
        }

        var now = time.GetUtcNow();
        var endpoint = new EndpointRecord(
            Ids.New(Ids.Endpoint), partnerId, url!, string.IsNullOrEmpty(description) ? null : description, eventTypes!,
            WebhookSecret.Generate(), null, null, null, null, null, now, now);
        await store.InsertEndpointAsync(endpoint, cancellationToken);
        return PartnerActionResult<EndpointRecord>.Done(endpoint);
    }

    public async Task<PartnerActionResult<EndpointRecord>> UpdateEndpointAsync(string partnerId, string endpointId, EndpointInput input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var url = EndpointRules.ValidateUrl(input.Url, required: false, errors);
        var eventTypes = EndpointRules.ValidateEventTypes(input.EventTypes, required: false, errors);
        var description = EndpointRules.ValidateDescription(input.Description, errors);
        if (url is null && eventTypes is null && description is null && !errors.Any)
        {
            errors.Add("body", "Send at least one of url, event_types or description.");
        }

        if (errors.Any)
        {
            return PartnerActionResult<EndpointRecord>.Invalid(errors.ToDictionary());
        }

        if (await store.GetEndpointAsync(partnerId, endpointId, cancellationToken) is null)
        {
            return PartnerActionResult<EndpointRecord>.NotFound();
        }

        if (url is not null && await policy.CheckAsync(url, cancellationToken) is { Allowed: false } refusal)
        {
            return PartnerActionResult<EndpointRecord>.Refused(refusal);
        }

        var updated = await store.UpdateEndpointAsync(partnerId, endpointId, new EndpointChanges(url, eventTypes, description), time.GetUtcNow(), cancellationToken);
        return updated is null ? PartnerActionResult<EndpointRecord>.NotFound() : PartnerActionResult<EndpointRecord>.Done(updated);
    }

    public Task<bool> DeleteEndpointAsync(string partnerId, string endpointId, CancellationToken cancellationToken) =>
        remover.DeleteAsync(partnerId, endpointId, time.GetUtcNow(), cancellationToken);

    public Task<EndpointRecord?> SetEndpointEnabledAsync(string partnerId, string endpointId, bool enabled, CancellationToken cancellationToken) =>
        store.SetEndpointEnabledAsync(partnerId, endpointId, enabled, time.GetUtcNow(), cancellationToken);

    /// <summary>The endpoint's secrets as they sign now: the current one, and the previous one while its overlap lasts.</summary>
    public async Task<SigningSecrets?> GetSecretsAsync(string partnerId, string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetEndpointAsync(partnerId, endpointId, cancellationToken);
        if (endpoint is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var previousActive = endpoint.PreviousSecret is not null && endpoint.PreviousSecretExpiresAt > now;
        return new SigningSecrets(endpoint.Secret, previousActive ? endpoint.PreviousSecret : null, previousActive ? endpoint.PreviousSecretExpiresAt : null);
    }

    /// <summary>Rotates to a new random secret; the old one keeps signing for the configured overlap. Null when not found.</summary>
    public async Task<SigningSecrets?> RotateSecretAsync(string partnerId, string endpointId, CancellationToken cancellationToken)
    {
        if (await store.GetEndpointAsync(partnerId, endpointId, cancellationToken) is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var rotated = await store.RotateEndpointSecretAsync(partnerId, endpointId, null, now, cancellationToken);
        return rotated is null || rotated.ActiveAt(now).Count > 1 ? rotated : rotated with { Previous = null, PreviousExpiresAt = null };
    }

    /// <summary>Queues a signed <c>webhook.test</c> message to an enabled endpoint through the delivery engine.</summary>
    public async Task<PartnerActionResult<DeliveryRecord>> SendTestEventAsync(string partnerId, string endpointId, CancellationToken cancellationToken)
    {
        var endpoint = await store.GetEndpointAsync(partnerId, endpointId, cancellationToken);
        if (endpoint is null)
        {
            return PartnerActionResult<DeliveryRecord>.NotFound();
        }

        if (endpoint.DisabledAt is not null)
        {
            return PartnerActionResult<DeliveryRecord>.Disabled(endpoint);
        }

        var now = time.GetUtcNow();
        var payload = JsonSerializer.Serialize(new
        {
            type = TestEventType,
            timestamp = WireNames.Time(now),
            data = new { endpoint_id = endpoint.EndpointId, message = "A test event from Bria.StatusBridge: your endpoint receives and verifies webhooks." },
        });
        var delivery = await deliveries.EnqueueDeliveryAsync(partnerId, endpoint, TestEventType, null, payload, now, cancellationToken);
        webhooks.Wake();
        return PartnerActionResult<DeliveryRecord>.Done(delivery);
    }

    /// <summary>Sends every failed delivery of an enabled endpoint created since <paramref name="since"/> again; the value is how many.</summary>
    public async Task<PartnerActionResult<int>> RecoverFailedAsync(string partnerId, string endpointId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (since is not { } from || from > now)
        {
            return PartnerActionResult<int>.Invalid(new Dictionary<string, string[]>
            {
                ["since"] = [$"Give since as an ISO 8601 time in the past, e.g. {{\"since\": \"{now.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ}\"}}: failed deliveries created since then are sent again."],
            });
        }

        var endpoint = await store.GetEndpointAsync(partnerId, endpointId, cancellationToken);
        if (endpoint is null)
        {
            return PartnerActionResult<int>.NotFound();
        }

        if (endpoint.DisabledAt is not null)
        {
            return PartnerActionResult<int>.Disabled(endpoint);
        }

        var recovered = await deliveries.RecoverFailedAsync(partnerId, endpointId, from, now, cancellationToken);
        webhooks.Wake();
        return PartnerActionResult<int>.Done(recovered);
    }

    /// <summary>Sends one delivery again now, with the same <c>webhook-id</c> and body; the value is the delivery as it stands after.</summary>
    public async Task<PartnerActionResult<DeliveryRecord>> RetryDeliveryAsync(string partnerId, string deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await deliveries.GetDeliveryAsync(partnerId, deliveryId, cancellationToken);
        if (delivery is null)
        {
            return PartnerActionResult<DeliveryRecord>.NotFound();
        }

        if (delivery.EndpointId is not null && await store.GetEndpointAsync(partnerId, delivery.EndpointId, cancellationToken) is { DisabledAt: not null } endpoint)
        {
            return PartnerActionResult<DeliveryRecord>.Disabled(endpoint);
        }

        if (await deliveries.RetryAsync(partnerId, deliveryId, time.GetUtcNow(), cancellationToken) == RetryOutcome.NotFound)
        {
            return PartnerActionResult<DeliveryRecord>.NotFound();
        }

        webhooks.Wake();
        var retried = await deliveries.GetDeliveryAsync(partnerId, deliveryId, cancellationToken);
        return PartnerActionResult<DeliveryRecord>.Done(retried ?? delivery);
    }
}
