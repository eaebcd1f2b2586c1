using Bria.StatusBridge.Notifications;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Streams;

/// <summary>This replica's open status streams, by request: one listener (<see cref="IRequestChangedListener"/>)
/// fans a change out to the streams of that request, one shared heartbeat ticks them all, and the per-partner limit is
/// counted here. An idle stream is a lease and an awaited task: no timer, no polling.</summary>
internal sealed class StatusStreamHub(IOptions<StatusStreamOptions> options) : IRequestChangedListener
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<StatusStreamLease>> _byRequest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byPartner = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _heartbeat = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;

    /// <summary>Streams open on this replica.</summary>
    public int OpenStreams => Volatile.Read(ref _open);

    /// <summary>Completes at the next shared heartbeat.</summary>
    public Task NextHeartbeat => Volatile.Read(ref _heartbeat).Task;

    /// <summary>Completes when the replica shuts down: every stream ends so that its client reconnects elsewhere.</summary>
    public Task Closing => _closing.Task;

    public bool IsClosing => _closing.Task.IsCompleted;

    /// <summary>Registers a stream, before its first read of the store so that no change in between is missed; null
    /// when the partner already holds <see cref="StatusStreamOptions.MaxStreamsPerPartner"/> streams here.</summary>
    public StatusStreamLease? TryOpen(string partnerId, string requestId)
    {
        var lease = new StatusStreamLease(this, partnerId, requestId);
        lock (_gate)
        {
            var open = _byPartner.GetValueOrDefault(partnerId);
            if (open >= options.Value.MaxStreamsPerPartner)
            {
                return null;
            }

            _byPartner[partnerId] = open + 1;
            if (!_byRequest.TryGetValue(requestId, out var streams))
            {
                streams = [];
                _byRequest[requestId] = streams;
            }

            streams.Add(lease);
            _open++;
        }

        return lease;
    }

    public void OnRequestsChanged(IReadOnlyCollection<string> requestIds)
    {
        lock (_gate)
        {
            foreach (var requestId in requestIds)
            {
                if (_byRequest.TryGetValue(requestId, out var streams))
                {
                    streams.ForEach(s => s.Wake());
                }
            }
        }
    }

    /// <summary>Wakes every stream: after the cross-replica listener (re)connected, changes may have gone unheard.</summary>
    public void WakeAll()
    {
        lock (_gate)
        {
            foreach (var streams in _byRequest.Values)
            {
                streams.ForEach(s => s.Wake());
            }
        }
    }

    /// <summary>The shared heartbeat: every idle stream writes its comment line.</summary>
    public void Beat()
    {
        var previous = Interlocked.Exchange(ref _heartbeat, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    public void Close() => _closing.TrySetResult();

    internal void Release(StatusStreamLease lease)
    {
        lock (_gate)
        {
            if (_byRequest.TryGetValue(lease.RequestId, out var streams) && streams.Remove(lease) && streams.Count == 0)
            {
                _byRequest.Remove(lease.RequestId);
            }

            var open = _byPartner.GetValueOrDefault(lease.PartnerId) - 1;
            if (open > 0)
            {
                _byPartner[lease.PartnerId] = open;
            }
            else
            {
                _byPartner.Remove(lease.PartnerId);
            }

            _open--;
        }
    }
}
