using System.Threading.Channels;

namespace Bria.StatusBridge.Polling;

/// <summary>Poll results waiting to be written back; the writer takes them in batches.</summary>
internal sealed class PollResultQueue
{
    private readonly Channel<PollUpdate> _channel = Channel.CreateUnbounded<PollUpdate>();
    private int _unwritten;

    public int Count => _channel.Reader.Count;

    /// <summary>Results enqueued and not yet written (waiting, or in the batch being written). Their requests are
    /// still leased: the engine counts them against its poll slots, so that it never claims faster than results are
    /// stored and no result waits in memory until its lease runs out (another replica would then poll it again).</summary>
    public int Unwritten => Volatile.Read(ref _unwritten);

    public void Enqueue(PollUpdate update)
    {
        Interlocked.Increment(ref _unwritten);
        _channel.Writer.TryWrite(update);
    }

    /// <summary>The writer stored (or gave up on, at shutdown) <paramref name="count"/> results.</summary>
    public void Written(int count) => Interlocked.Add(ref _unwritten, -count);

    /// <summary>Waits for at least one result, then takes what is there, up to <paramref name="maxCount"/>.</summary>
    public async Task<IReadOnlyList<PollUpdate>> TakeBatchAsync(int maxCount, CancellationToken cancellationToken)
    {
        await _channel.Reader.WaitToReadAsync(cancellationToken);
        var batch = new List<PollUpdate>(Math.Min(maxCount, Math.Max(1, _channel.Reader.Count)));
        while (batch.Count < maxCount && _channel.Reader.TryRead(out var update))
        {
            batch.Add(update);
        }

        return batch;
    }
}
