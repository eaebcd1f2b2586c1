namespace Bria.StatusBridge.Notifications;

/// <summary>Hears every <see cref="OutcomeStored"/> of this replica, after its transaction committed: the bus
/// dispatcher and the webhook dispatcher wake on it, and so can anything else that pushes outcomes out (a status
/// stream, for example). Called on the writer's thread: return at once, never block.</summary>
internal interface IOutcomeStoredListener
{
    void OnOutcomeStored(OutcomeStored stored);
}
