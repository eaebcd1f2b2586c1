using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Persistence;

/// <summary>Partners' webhook endpoints and their signing secrets (<c>webhook_endpoints.secret</c>, set with
/// <see cref="WebhookSecret.Generate"/> when the endpoint is created). Every partner-facing method takes the partner
/// id and finds nothing of another partner's.</summary>
internal interface IEndpointStore
{
    Task InsertEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken);

    Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(string partnerId, CancellationToken cancellationToken);

    Task<EndpointRecord?> GetEndpointAsync(string partnerId, string endpointId, CancellationToken cancellationToken);

    Task<EndpointRecord?> UpdateEndpointAsync(string partnerId, string endpointId, EndpointChanges changes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Enables (clearing the reason and the failure run) or disables an endpoint.</summary>
    Task<EndpointRecord?> SetEndpointEnabledAsync(string partnerId, string endpointId, bool enabled, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Hides and stops the endpoint, in the caller's transaction (its pending deliveries fail with it). False
    /// when unknown.</summary>
    Task<bool> DeleteEndpointAsync(StoreTransaction transaction, string partnerId, string endpointId, long at, CancellationToken cancellationToken);

    /// <summary>Rotates an endpoint's secret to <paramref name="newSecret"/> (a random one when null); the replaced one
    /// keeps signing for <c>Webhooks:SecretRotationOverlap</c>. Null when the endpoint does not exist or belongs to
    /// another partner.</summary>
    Task<SigningSecrets?> RotateEndpointSecretAsync(string partnerId, string endpointId, string? newSecret, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The partner's enabled endpoints, as destinations of an outcome being stored.</summary>
    Task<IReadOnlyList<EndpointTarget>> ListEnabledAsync(StoreTransaction transaction, string partnerId, CancellationToken cancellationToken);

    /// <summary>A delivered attempt ends the endpoint's run of failures.</summary>
    Task ClearFailingAsync(StoreTransaction transaction, string endpointId, CancellationToken cancellationToken);

    /// <summary>A failed attempt starts (or continues) the run of failures; null when the endpoint is already disabled.</summary>
    Task<FailingEndpoint?> MarkFailingAsync(StoreTransaction transaction, string endpointId, long at, CancellationToken cancellationToken);

    /// <summary>Disables the endpoint with a reason a person can read.</summary>
    Task DisableAsync(StoreTransaction transaction, string endpointId, string reason, long at, CancellationToken cancellationToken);
}
