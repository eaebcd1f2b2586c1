namespace Bria.StatusBridge.Hosting;

/// <summary>Wakes the outbox dispatcher: notifications were queued.</summary>
internal sealed class OutboxWakeSignal : WakeSignal;
