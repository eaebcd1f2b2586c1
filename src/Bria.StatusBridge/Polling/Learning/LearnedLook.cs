namespace Bria.StatusBridge.Polling.Learning;

/// <summary>The next look a learned schedule plans at a running job: <see cref="At"/>, and from when it may come early
/// (<see cref="EarlyFrom"/>, one minimum interval after the last look) if the shared budget holds calls the planned
/// looks leave unspent. Null <see cref="EarlyFrom"/>: never before <see cref="At"/>. A look unlikely to find the job
/// finished (<see cref="YieldUntil"/> set) waits behind the other due looks while the budget holds them back, until
/// then at most.</summary>
internal readonly record struct LearnedLook(DateTimeOffset At, DateTimeOffset? EarlyFrom, DateTimeOffset? YieldUntil = null);
