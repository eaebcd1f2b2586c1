namespace Bria.StatusBridge.Hosting;

/// <summary>Wakes the operator event dispatcher: an endpoint was disabled or a delivery exhausted.</summary>
internal sealed class OperatorEventWakeSignal : WakeSignal;
