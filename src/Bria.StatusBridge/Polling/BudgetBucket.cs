namespace Bria.StatusBridge.Polling;

/// <summary>The shared upstream budget as stored: tokens left at <see cref="RefilledAt"/>, and the end of a 429 pause
/// (Unix milliseconds).</summary>
internal sealed record BudgetBucket(double Tokens, long RefilledAt, long PausedUntil);
