using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Persistence;

/// <summary>Whether the store can be reached, as work found out: a caller that hit an unreachable store reports it,
/// waits here without spinning, and carries on when <see cref="StoreProbe"/> finds the store answering again.</summary>
internal sealed class StoreGate(Outages outages)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = Opened();
    private TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>False from the first report of an unreachable store until a probe succeeds.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return _open.Task.IsCompleted;
            }
        }
    }

    /// <summary>Completes at once while the store is reachable; otherwise when a probe finds it back.</summary>
    public Task WaitUntilOpenAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _open.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when the store is reported unreachable.</summary>
    public Task WaitUntilClosedAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _closed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Records that the store could not be reached; everyone who waits keeps waiting until a probe succeeds.</summary>
    public void ReportUnreachable(Exception exception)
    {
        outages.Store.Report(StoreFailures.Describe(exception));
        lock (_lock)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _closed.TrySetResult();
            }
        }
    }

    /// <summary>Records that the store answers again: waiting work resumes.</summary>
    public void ReportReachable()
    {
        outages.Store.Clear();
        lock (_lock)
        {
            if (!_open.Task.IsCompleted)
            {
                _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _open.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
