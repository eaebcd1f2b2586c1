namespace Bria.StatusBridge.Polling;

/// <summary>The requests claimed for polling, and when the upstream budget can grant more.</summary>
/// <param name="Requests">Claimed requests, oldest due first.</param>
/// <param name="BudgetExhausted">True when due work was left because the budget had no calls to spare.</param>
/// <param name="NextGrantAt">When the budget grants its next call (or the 429 pause ends).</param>
/// <param name="BudgetSpare">How full the budget's bucket was before this claim (0 to 1): calls left unspent since the
/// last claim pile up there, so a bucket filling up says the budget has calls to spare.</param>
internal sealed record ClaimResult(IReadOnlyList<ClaimedRequest> Requests, bool BudgetExhausted, DateTimeOffset NextGrantAt, double BudgetSpare = 0);
