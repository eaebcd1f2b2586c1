namespace Bria.StatusBridge.Streams;

/// <summary>One open stream's place in the <see cref="StatusStreamHub"/>: woken when its request changes. Holds no
/// timer and no store connection; disposing it frees the partner's slot.</summary>
internal sealed class StatusStreamLease(StatusStreamHub hub, string partnerId, string requestId) : IDisposable
{
    private TaskCompletionSource _changed = NewSignal();
    private int _disposed;

    public string PartnerId { get; } = partnerId;

    public string RequestId { get; } = requestId;

    /// <summary>Completes when the request changed since the last <see cref="Rearm"/>.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    public void Wake() => Volatile.Read(ref _changed).TrySetResult();

    /// <summary>Called before reading the store after a wake: a change from then on completes <see cref="Changed"/> again.</summary>
    public void Rearm()
    {
        var current = Volatile.Read(ref _changed);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _changed, NewSignal(), current);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            hub.Release(this);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
