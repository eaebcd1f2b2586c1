using Bria.StatusBridge.Notifications;

namespace Bria.StatusBridge.Hosting;

/// <summary>Wakes the outbox dispatcher: an outcome was stored, or operator events were queued.</summary>
internal sealed class OutboxWakeSignal : WakeSignal, IOutcomeStoredListener
{
    public void OnOutcomeStored(OutcomeStored stored) => Wake();
}
