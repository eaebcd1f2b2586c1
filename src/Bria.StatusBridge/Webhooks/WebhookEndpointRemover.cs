using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Deletes an endpoint: hidden and stopped, its pending messages failed, its delivery history kept; one
/// transaction over the endpoint and its deliveries.</summary>
internal sealed class WebhookEndpointRemover(IDbConnectionFactory connections, IEndpointStore endpoints, IDeliveryStore deliveries)
{
    /// <summary>False when the endpoint is unknown, already deleted, or another partner's.</summary>
    public async Task<bool> DeleteAsync(string partnerId, string endpointId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var deleted = await endpoints.DeleteEndpointAsync(transaction, partnerId, endpointId, now.ToUnixTimeMilliseconds(), cancellationToken);
        if (deleted)
        {
            await deliveries.FailPendingAsync(transaction, endpointId, "The endpoint was deleted.", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
