using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Partners;

/// <summary>Reads tracked requests for a partner: a request is visible only through the partner's own subscriptions,
/// exactly as the API shows it. Used by the API and the portal.</summary>
internal sealed class PartnerRequests(ITrackingStore requests, IDeliveryStore deliveryStore)
{
    /// <summary>The request with the partner's subscriptions and deliveries; null when the partner does not track it.</summary>
    public async Task<PartnerRequestView?> GetAsync(string partnerId, string requestId, CancellationToken cancellationToken)
    {
        var view = await requests.GetAsync(requestId, cancellationToken);
        var own = view?.Subscribers.Where(s => s.PartnerId == partnerId).ToList() ?? [];
        if (view is null || own.Count == 0)
        {
            return null;
        }

        var deliveries = await deliveryStore.ListRequestDeliveriesAsync(partnerId, requestId, cancellationToken);
        return new PartnerRequestView(view, own, deliveries);
    }

    /// <summary>The partner's most recently tracked requests, newest first.</summary>
    public Task<IReadOnlyList<PartnerRequestSummary>> ListRecentAsync(string partnerId, int limit, CancellationToken cancellationToken) =>
        requests.ListForPartnerAsync(partnerId, limit, cancellationToken);
}
