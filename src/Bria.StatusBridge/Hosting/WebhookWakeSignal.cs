using Bria.StatusBridge.Notifications;

namespace Bria.StatusBridge.Hosting;

/// <summary>Wakes the webhook dispatcher: an outcome was stored, messages were queued, or an attempt finished and
/// freed a slot.</summary>
internal sealed class WebhookWakeSignal : WakeSignal, IOutcomeStoredListener
{
    public void OnOutcomeStored(OutcomeStored stored) => Wake();
}
