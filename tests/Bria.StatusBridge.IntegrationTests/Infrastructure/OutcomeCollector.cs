using System.Collections.Concurrent;
using Bria.StatusBridge.Contracts;
using MassTransit;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Subscribes a temporary queue to the outcome events on a bus and keeps what arrives, with MessageIds.</summary>
public sealed class OutcomeCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedOutcome> _received = new();
    private HostReceiveEndpointHandle? _handle;

    public IReadOnlyCollection<ReceivedOutcome> Received => _received;

    public static async Task<OutcomeCollector> ConnectAsync(IBus bus, CancellationToken cancellationToken = default)
    {
        var collector = new OutcomeCollector();
        collector._handle = bus.ConnectReceiveEndpoint($"test-outcomes-{Guid.NewGuid():N}", e =>
        {
            e.Handler<RequestCompleted>(context =>
            {
                collector._received.Enqueue(new ReceivedOutcome(context.Message.RequestId, context.MessageId, context.Message, null));
                return Task.CompletedTask;
            });
            e.Handler<RequestFailed>(context =>
            {
                collector._received.Enqueue(new ReceivedOutcome(context.Message.RequestId, context.MessageId, null, context.Message));
                return Task.CompletedTask;
            });
        });
        await collector._handle.Ready.WaitAsync(cancellationToken);
        return collector;
    }

    public IReadOnlyList<ReceivedOutcome> For(string requestId) => [.. _received.Where(r => r.RequestId == requestId)];

    /// <summary>Waits until every id has at least one outcome; fails with the missing ids when time runs out.</summary>
    public async Task WaitForAllAsync(IReadOnlyCollection<string> requestIds, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            var seen = _received.Select(r => r.RequestId).ToHashSet();
            var missing = requestIds.Where(id => !seen.Contains(id)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            if (cancellation.IsCancellationRequested)
            {
                Assert.Fail($"{missing.Count} of {requestIds.Count} requests got no outcome within {timeout}: {string.Join(", ", missing.Take(10))}");
            }

            try
            {
                await periodic.WaitForNextTickAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                // Checked once more above before failing.
            }
        }
    }

    /// <summary>Waits until <paramref name="requestId"/> has at least <paramref name="count"/> outcomes and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedOutcome>> WaitForAsync(string requestId, int count, TimeSpan timeout)
    {
        await Eventually.HoldsAsync(
            () => For(requestId).Count >= count,
            timeout,
            () => $"{requestId} got {For(requestId).Count} of {count} outcome events.");
        return For(requestId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.StopAsync();
        }
    }
}
