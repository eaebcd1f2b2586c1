namespace Bria.StatusBridge.Notifications;

/// <summary>Hears that tracked requests changed in a way a watcher sees (a new observation, or the outcome), on this
/// replica after the commit or, through the database, from another replica. Called on the writer's thread: return at
/// once, never block.</summary>
internal interface IRequestChangedListener
{
    void OnRequestsChanged(IReadOnlyCollection<string> requestIds);
}
