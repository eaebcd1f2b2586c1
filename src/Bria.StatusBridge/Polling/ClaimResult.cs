namespace Bria.StatusBridge.Polling;

/// <summary>The requests claimed for polling, and when the upstream budget can grant more.</summary>
/// <param name="Requests">Claimed requests, oldest due first.</param>
/// <param name="BudgetExhausted">True when due work was left because the budget had no calls to spare.</param>
/// <param name="NextGrantAt">When the budget grants its next call (or the 429 pause ends).</param>
internal sealed record ClaimResult(IReadOnlyList<ClaimedRequest> Requests, bool BudgetExhausted, DateTimeOffset NextGrantAt);
