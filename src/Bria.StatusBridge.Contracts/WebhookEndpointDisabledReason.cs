namespace Bria.StatusBridge.Contracts;

/// <summary>Why the bridge disabled a partner's webhook endpoint.</summary>
public enum WebhookEndpointDisabledReason
{
    /// <summary>The endpoint answered <c>410 Gone</c>: its owner says it no longer exists.</summary>
    Gone = 0,

    /// <summary>Every attempt to the endpoint failed for longer than the configured period (5 days by default).</summary>
    FailingTooLong = 1,
}
