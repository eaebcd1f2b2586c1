using Bria.StatusBridge.Partners;

namespace Bria.StatusBridge.Persistence;

/// <summary>Partners, their API keys, webhook endpoints and delivery records. Every partner-facing method takes the
/// partner id and finds nothing of another partner's: isolation lives in the queries.</summary>
internal interface IPartnerStore
{
    Task<PartnerRecord> CreatePartnerAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<PartnerRecord>> ListPartnersAsync(CancellationToken cancellationToken);

    Task<PartnerRecord?> GetPartnerAsync(string partnerId, CancellationToken cancellationToken);

    Task<ApiKeyRecord> AddApiKeyAsync(string partnerId, string keyHash, string prefix, string? name, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string partnerId, CancellationToken cancellationToken);

    /// <summary>Revokes a key (idempotent: an already revoked key keeps its first revocation time); null when unknown.</summary>
    Task<ApiKeyRecord?> RevokeApiKeyAsync(string partnerId, string keyId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<ApiKeyMatch?> FindApiKeyAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Records a use of the key unless one was recorded after <paramref name="staleBefore"/>.</summary>
    Task TouchApiKeyAsync(string keyId, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken);

    Task InsertEndpointAsync(EndpointRecord endpoint, CancellationToken cancellationToken);

    Task<IReadOnlyList<EndpointRecord>> ListEndpointsAsync(string partnerId, CancellationToken cancellationToken);

    Task<EndpointRecord?> GetEndpointAsync(string partnerId, string endpointId, CancellationToken cancellationToken);

    Task<EndpointRecord?> UpdateEndpointAsync(string partnerId, string endpointId, EndpointChanges changes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Enables (clearing the reason and the failure run) or disables an endpoint.</summary>
    Task<EndpointRecord?> SetEndpointEnabledAsync(string partnerId, string endpointId, bool enabled, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Hides the endpoint, stops it, and fails its pending deliveries; the history stays. False when unknown.</summary>
    Task<bool> DeleteEndpointAsync(string partnerId, string endpointId, DateTimeOffset now, CancellationToken cancellationToken);


    /// <summary>A page of an endpoint's deliveries, newest first, one more than asked when more follow.</summary>
    Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string partnerId, string endpointId, DeliveryFilter query, CancellationToken cancellationToken);

    Task<DeliveryRecord?> GetDeliveryAsync(string partnerId, string deliveryId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AttemptRecord>> ListAttemptsAsync(string deliveryId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeliveryRecord>> ListRequestDeliveriesAsync(string partnerId, string requestId, CancellationToken cancellationToken);

    /// <summary>Queues a message for one endpoint, due now (the delivery engine signs and sends it).</summary>
    Task<DeliveryRecord> EnqueueDeliveryAsync(string partnerId, EndpointRecord endpoint, string eventType, string? requestId, string payload, DateTimeOffset now, CancellationToken cancellationToken);


}
