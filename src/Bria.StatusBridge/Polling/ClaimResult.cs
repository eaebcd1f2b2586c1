namespace Bria.StatusBridge.Polling;

/// <summary>The requests claimed for polling, and when the upstream budget can grant more.</summary>
/// <param name="Requests">Claimed requests: the due ones, oldest due first, then those taken early (the jobs looked at longest ago first).</param>
/// <param name="BudgetExhausted">True when due work was left because the budget had no calls to spare.</param>
/// <param name="NextGrantAt">When the budget grants its next call (or the 429 pause ends).</param>
internal sealed record ClaimResult(IReadOnlyList<ClaimedRequest> Requests, bool BudgetExhausted, DateTimeOffset NextGrantAt)
{
    /// <summary>Every call the shared budget has granted, to all replicas, up to and including this claim: how fast the
    /// whole fleet spends the budget is the difference between two claims over the time between them.</summary>
    public long Granted { get; init; }

    /// <summary>Of <see cref="Granted"/>, the calls granted to looks taken early (<see cref="ClaimedRequest.Early"/>),
    /// all replicas together.</summary>
    public long EarlyGranted { get; init; }
}
