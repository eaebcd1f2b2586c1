namespace Bria.StatusBridge.Hosting;

/// <summary>Wakes the poll scheduler: a request was tracked, or a poll slot came free.</summary>
internal sealed class PollWakeSignal : WakeSignal;
