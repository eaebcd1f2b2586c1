namespace Bria.StatusBridge.Webhooks;

/// <summary>Where a webhook message stands (<c>webhook_deliveries.state</c>).</summary>
internal enum DeliveryState
{
    /// <summary>Waiting for its next attempt, or being attempted.</summary>
    Pending = 0,

    /// <summary>A receiver answered 2xx.</summary>
    Delivered = 1,

    /// <summary>The schedule ran out, the receiver answered 410, or its endpoint was disabled.</summary>
    Failed = 2,
}
