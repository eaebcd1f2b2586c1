using System.Threading.Channels;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Polling;

/// <summary>Poll results waiting to be written back; the writer takes them in batches.</summary>
internal sealed class PollResultQueue
{
    private readonly Channel<PollUpdate> _channel = Channel.CreateUnbounded<PollUpdate>();

    public int Count => _channel.Reader.Count;

    public void Enqueue(PollUpdate update) => _channel.Writer.TryWrite(update);

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
