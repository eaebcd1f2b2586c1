namespace Bria.StatusBridge.Webhooks;

/// <summary>What a manual retry did.</summary>
internal enum RetryOutcome
{
    /// <summary>No such delivery for this partner.</summary>
    NotFound = 0,

    /// <summary>Scheduled for an attempt now, with the same <c>webhook-id</c>.</summary>
    Scheduled = 1,

    /// <summary>Scheduled, but its endpoint is disabled: it is sent once the endpoint is enabled.</summary>
    ScheduledEndpointDisabled = 2,
}
