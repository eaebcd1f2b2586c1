namespace Bria.StatusBridge.Polling;

/// <summary>The shared upstream budget as stored: tokens left at <see cref="RefilledAt"/>, the end of a 429 pause
/// (Unix milliseconds), and every call it ever granted (all replicas together).</summary>
internal sealed record BudgetBucket(double Tokens, long RefilledAt, long PausedUntil, long Granted = 0);
