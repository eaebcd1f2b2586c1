using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Webhooks;

/// <summary>When a failed attempt disables its endpoint: at once on <c>410 Gone</c>, or once every attempt has failed
/// for <c>Webhooks:DisableAfter</c> (5 days) in an unbroken run. A pure decision: the caller stores it.</summary>
internal static class EndpointDisableRule
{
    /// <summary>Why the endpoint is disabled after this attempt, or null when it stays enabled.</summary>
    /// <param name="decision">What the retry schedule decided for the attempt's delivery.</param>
    /// <param name="failingSince">The first failure of the endpoint's current run (this attempt's time when it starts one).</param>
    /// <param name="now">The attempt's time.</param>
    /// <param name="disableAfter">How long a run of failures may last.</param>
    public static WebhookEndpointDisabledReason? Decide(DeliveryDecisionKind decision, DateTimeOffset failingSince, DateTimeOffset now, TimeSpan disableAfter) =>
        decision switch
        {
            DeliveryDecisionKind.Delivered => null,
            DeliveryDecisionKind.Gone => WebhookEndpointDisabledReason.Gone,
            _ when now - failingSince >= disableAfter => WebhookEndpointDisabledReason.FailingTooLong,
            _ => null,
        };

    /// <summary>The reason as the partner reads it on the endpoint.</summary>
    public static string Describe(WebhookEndpointDisabledReason reason, DateTimeOffset failingSince) => reason == WebhookEndpointDisabledReason.Gone
        ? "The endpoint answered 410 Gone."
        : $"Every attempt failed since {failingSince:O}.";
}
