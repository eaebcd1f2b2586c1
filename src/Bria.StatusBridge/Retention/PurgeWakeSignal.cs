using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Retention;

/// <summary>Wakes the purge loop (nothing does in production: it runs on its own schedule; tests use it).</summary>
internal sealed class PurgeWakeSignal : WakeSignal;
