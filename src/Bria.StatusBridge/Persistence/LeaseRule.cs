namespace Bria.StatusBridge.Persistence;

/// <summary>Which lease a terminal write respects: the poller's own (its result counts only while it holds the
/// lease), none held (the deadline ends only requests nobody is polling), or none at all (the owner cancels).</summary>
internal sealed record LeaseRule(string Condition, string? Owner)
{
    public static readonly LeaseRule Unleased = new(" AND (lease_until IS NULL OR lease_until < @At)", null);

    public static readonly LeaseRule Ignored = new("", null);

    public static LeaseRule HeldBy(string owner) => new(" AND lease_owner = @Owner", owner);
}
