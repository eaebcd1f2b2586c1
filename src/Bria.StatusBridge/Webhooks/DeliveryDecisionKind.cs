namespace Bria.StatusBridge.Webhooks;

/// <summary>The kinds of <see cref="DeliveryDecision"/>.</summary>
internal enum DeliveryDecisionKind
{
    /// <summary>2xx: done.</summary>
    Delivered = 0,

    /// <summary>Failed; another attempt is scheduled.</summary>
    Retry = 1,

    /// <summary>Failed and the schedule is used up.</summary>
    Exhausted = 2,

    /// <summary>410 Gone: no more attempts; a partner endpoint is disabled.</summary>
    Gone = 3,
}
