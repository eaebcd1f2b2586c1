namespace Bria.StatusBridge.Webhooks;

/// <summary>What happens to a delivery after an attempt.</summary>
/// <param name="Kind">Delivered, retried, exhausted, or gone.</param>
/// <param name="NextAttemptAt">For <see cref="DeliveryDecisionKind.Retry"/>: when to try again.</param>
internal sealed record DeliveryDecision(DeliveryDecisionKind Kind, DateTimeOffset? NextAttemptAt = null)
{
    public static DeliveryDecision Delivered { get; } = new(DeliveryDecisionKind.Delivered);

    public static DeliveryDecision Exhausted { get; } = new(DeliveryDecisionKind.Exhausted);

    public static DeliveryDecision Gone { get; } = new(DeliveryDecisionKind.Gone);

    public static DeliveryDecision RetryAt(DateTimeOffset at) => new(DeliveryDecisionKind.Retry, at);
}
