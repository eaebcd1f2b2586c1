using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Dapper;

namespace Bria.StatusBridge.Notifications;

/// <summary>Tells watchers (status streams) that requests changed, as part of the transaction that changes them: this
/// replica's listeners hear it after the commit, and other replicas through the database's notification
/// (<see cref="SqlDialect.NotifyRequestsChanged"/>, PostgreSQL's <c>NOTIFY</c>, delivered only if the transaction
/// commits). A single-instance SQLite store needs only the first.</summary>
internal sealed partial class RequestChangeNotifier(
    IEnumerable<IRequestChangedListener> listeners, ReplicaIdentity replica, ILogger<RequestChangeNotifier> logger)
{
    private readonly IRequestChangedListener[] _listeners = [.. listeners];

    /// <summary>The replica that wrote a notification: the receiving side skips its own (it heard them in-process).</summary>
    public string Origin => replica.Id;

    public async Task NotifyAsync(StoreTransaction transaction, IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken)
    {
        if (requestIds.Count == 0)
        {
            return;
        }

        if (transaction.Dialect.NotifyRequestsChanged is { } notify)
        {
            await transaction.Connection.ExecuteAsync(transaction.Command(notify, new { Origin, Ids = requestIds.ToArray() }, cancellationToken));
        }

        if (_listeners.Length > 0)
        {
            transaction.AfterCommit(() => Changed(requestIds));
        }
    }

    /// <summary>Tells this replica's listeners; also called for the notifications of other replicas.</summary>
    public void Changed(IReadOnlyCollection<string> requestIds)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                listener.OnRequestsChanged(requestIds);
            }
            catch (Exception exception)
            {
                // The change is durable whatever a listener does: a watcher reads it on its next wake or reconnect.
                LogListenerFailed(logger, exception, listener.GetType().Name, requestIds.Count);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Listener} failed on {Count} changed requests")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, string listener, int count);
}
