using System.Collections.Concurrent;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Fakes;

/// <summary>An outbox in memory for the dispatcher's fast tests: hands out the queued batches, records what was marked.</summary>
internal sealed class FakeOutboxStore : IOutboxStore
{
    public ConcurrentQueue<IReadOnlyList<OutboxMessage>> Batches { get; } = new();

    public ConcurrentBag<Guid> Sent { get; } = [];

    public ConcurrentDictionary<Guid, (DateTimeOffset RetryAt, string Error)> Failed { get; } = new();

    public DateTimeOffset? NextDue { get; set; }

    public Task EnqueueOutcomesAsync(
        StoreTransaction transaction, string requestId, TrackingState state, IReadOnlyCollection<string> subscriberIds, long at, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The dispatcher never queues.");

    public Task EnqueueAsync<T>(StoreTransaction transaction, Guid messageId, T message, long at, CancellationToken cancellationToken)
        where T : class =>
        throw new NotSupportedException("The dispatcher never queues.");

    public Task<IReadOnlyList<OutboxMessage>> ClaimAsync(string owner, int maxCount, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken) =>
        Task.FromResult(Batches.TryDequeue(out var batch) ? batch : []);

    public Task MarkSentAsync(IReadOnlyCollection<Guid> messageIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var id in messageIds)
        {
            Sent.Add(id);
        }

        return Task.CompletedTask;
    }

    public Task MarkFailedAsync(Guid messageId, DateTimeOffset retryAt, string error, CancellationToken cancellationToken)
    {
        Failed[messageId] = (retryAt, error);
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => Task.FromResult(NextDue);

    public Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<long> BacklogAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<IReadOnlyDictionary<string, long>> BacklogByTypeAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>());
}
