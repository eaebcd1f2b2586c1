namespace Bria.StatusBridge.Polling;

/// <summary>What the budget grants a claim: <see cref="Calls"/> whole calls out of <see cref="Tokens"/> (refilled up to
/// <see cref="RefilledAt"/>), or nothing until <see cref="PausedUntil"/> after a 429.</summary>
internal sealed record BudgetGrant(int Calls, double Tokens, long RefilledAt, DateTimeOffset? PausedUntil);
