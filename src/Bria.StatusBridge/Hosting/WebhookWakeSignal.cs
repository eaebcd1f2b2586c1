namespace Bria.StatusBridge.Hosting;

/// <summary>Wakes the webhook dispatcher: messages were queued, or an attempt finished and freed a slot.</summary>
internal sealed class WebhookWakeSignal : WakeSignal;
