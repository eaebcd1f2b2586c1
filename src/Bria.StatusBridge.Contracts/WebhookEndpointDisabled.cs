namespace Bria.StatusBridge.Contracts;

/// <summary>Event for operators: the bridge disabled a partner's webhook endpoint and stopped sending to it. Its
/// pending deliveries were marked failed; they can be recovered once the endpoint is enabled again.</summary>
public sealed record WebhookEndpointDisabled
{
    /// <summary>The endpoint's id.</summary>
    public string EndpointId { get; init; } = "";

    /// <summary>The partner that owns the endpoint.</summary>
    public string PartnerId { get; init; } = "";

    /// <summary>The endpoint's URL when it was disabled.</summary>
    public Uri? Url { get; init; }

    /// <summary>Why it was disabled.</summary>
    public WebhookEndpointDisabledReason Reason { get; init; }

    /// <summary>The HTTP status of the attempt that disabled it, if the endpoint answered.</summary>
    public int? LastStatusCode { get; init; }

    /// <summary>The error of the attempt that disabled it, if it did not answer.</summary>
    public string? LastError { get; init; }

    /// <summary>The first failure of the unbroken run of failures, if there was one.</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>When the bridge disabled the endpoint.</summary>
    public DateTimeOffset DisabledAt { get; init; }
}
