using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.Tests.Fakes;

/// <summary>An early-webhook store in memory that keeps webhooks but never has one waiting: for the loops' fast tests,
/// where no webhook comes before its command.</summary>
internal sealed class FakeEarlyWebhookStore : IEarlyWebhookStore
{
    public List<EarlyWebhook> Kept { get; } = [];

    public Task<int> KeepAsync(EarlyWebhook webhook, int limit, CancellationToken cancellationToken)
    {
        Kept.Add(webhook);
        return Task.FromResult(0);
    }

    public Task<bool> HasAsync(string requestId, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<EarlyWebhook?> TakeAsync(StoreTransaction transaction, string requestId, CancellationToken cancellationToken) =>
        Task.FromResult<EarlyWebhook?>(null);
}
