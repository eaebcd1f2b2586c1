using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Polling.Learning;

/// <summary>Wakes the duration learning loop before its refresh interval (nothing does in production; tests use it).</summary>
internal sealed class DurationLearningWakeSignal : WakeSignal;
