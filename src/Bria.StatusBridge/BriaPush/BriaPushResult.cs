namespace Bria.StatusBridge.BriaPush;

/// <summary>How the bridge answered one webhook from Bria: the rule it broke, or what storing it did
/// (<c>ended</c>, <c>already_ended</c>, <c>poll_now</c>, <c>unchanged</c>, <c>kept_early</c>).</summary>
internal sealed record BriaPushResult(BriaWebhookRule? Refusal, string? Result)
{
    public static BriaPushResult Refused(BriaWebhookRule rule) => new(rule, null);

    public static BriaPushResult Stored(string result) => new(null, result);
}
