using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;

namespace Bria.StatusBridge.Partners;

/// <summary>A tracked request as one partner may see it: the request, only that partner's subscriptions, and only its deliveries.</summary>
internal sealed record PartnerRequestView(TrackedRequestView Request, IReadOnlyList<SubscriberView> Subscriptions, IReadOnlyList<DeliveryRecord> Deliveries);
