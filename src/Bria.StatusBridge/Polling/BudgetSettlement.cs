namespace Bria.StatusBridge.Polling;

/// <summary>The bucket after a claim spent its calls (to store), and what the scheduler learns from it.</summary>
/// <param name="Tokens">Tokens left.</param>
/// <param name="RefilledAt">The refill clock (Unix milliseconds); it never moves back.</param>
/// <param name="Exhausted">Due work was left because the budget had no calls to spare.</param>
/// <param name="NextGrantAt">When the bucket holds a whole call again.</param>
internal sealed record BudgetSettlement(double Tokens, long RefilledAt, bool Exhausted, DateTimeOffset NextGrantAt);
