namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The next look a learned schedule plans at a running job: <see cref="At"/>, and from when it may come early
/// (<see cref="EarlyFrom"/>, one minimum interval after the last look) if the shared budget holds calls the planned
/// looks leave unspent. Null <see cref="EarlyFrom"/>: never before <see cref="At"/>.</summary>
internal readonly record struct LearnedLook(DateTimeOffset At, DateTimeOffset? EarlyFrom);
