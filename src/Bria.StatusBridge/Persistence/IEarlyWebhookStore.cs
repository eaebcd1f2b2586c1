using Bria.StatusBridge.BriaPush;

namespace Bria.StatusBridge.Persistence;

/// <summary>Bria webhooks that arrived before their <c>TrackRequest</c> (<c>early_bria_webhooks</c>), bounded in
/// count here and in age by the purge loop. The only writer of the table.</summary>
internal interface IEarlyWebhookStore
{
    /// <summary>Keeps <paramref name="webhook"/> (a terminal body is never replaced by a later hint), then drops the
    /// oldest beyond <paramref name="limit"/>. Answers how many were dropped.</summary>
    Task<int> KeepAsync(EarlyWebhook webhook, int limit, CancellationToken cancellationToken);

    /// <summary>Whether a webhook waits for <paramref name="requestId"/>: a cheap look before taking it.</summary>
    Task<bool> HasAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Removes and answers the webhook kept for <paramref name="requestId"/>, in the caller's transaction (so
    /// it stays if that transaction rolls back), or null when none waits.</summary>
    Task<EarlyWebhook?> TakeAsync(StoreTransaction transaction, string requestId, CancellationToken cancellationToken);
}
