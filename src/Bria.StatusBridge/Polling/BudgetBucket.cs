namespace Bria.StatusBridge.Polling;

/// <summary>The shared upstream budget as stored: tokens left at <see cref="RefilledAt"/>, the end of a 429 pause
/// (Unix milliseconds), every call it ever granted (all replicas together), and how many of those went to looks taken
/// early, with calls the planned looks left unspent.</summary>
internal sealed record BudgetBucket(double Tokens, long RefilledAt, long PausedUntil, long Granted = 0, long EarlyGranted = 0);
