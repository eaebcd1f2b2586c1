using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Publishes <see cref="WebhookEndpointDisabled"/> and <see cref="WebhookDeliveryExhausted"/> from the
/// <c>operator_events</c> outbox with their derived <c>MessageId</c>: at least once, recognisably.</summary>
internal sealed partial class OperatorEventDispatcher(
    IOperatorEventStore events,
    IBus publisher,
    ReplicaIdentity replica,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<OperatorEventDispatcher> logger) : ILoopStep
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryCeiling = TimeSpan.FromMinutes(5);

    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var idle = options.Value.MaxIdleDelay;
        var now = time.GetUtcNow();
        var batch = await events.ClaimAsync(replica.Id, BatchSize, now, Lease, stoppingToken);
        if (batch.Count > 0)
        {
            var published = await Task.WhenAll(batch.Select(e => PublishAsync(e, stoppingToken)));
            await events.MarkSentAsync([.. batch.Where((_, i) => published[i]).Select(e => e.MessageId)], time.GetUtcNow(), stoppingToken);
            if (batch.Count == BatchSize)
            {
                return TimeSpan.Zero;
            }
        }

        var next = await events.NextDueAsync(stoppingToken);
        var wait = (next ?? now + idle) - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > idle ? idle : wait;
    }

    private async Task<bool> PublishAsync(PendingOperatorEvent pending, CancellationToken stoppingToken)
    {
        try
        {
            switch (pending.MessageType)
            {
                case nameof(WebhookEndpointDisabled):
                    await publisher.Publish(
                        StoreJson.Deserialize<WebhookEndpointDisabled>(pending.PayloadJson)!,
                        context => context.MessageId = pending.MessageId,
                        stoppingToken);
                    break;
                case nameof(WebhookDeliveryExhausted):
                    await publisher.Publish(
                        StoreJson.Deserialize<WebhookDeliveryExhausted>(pending.PayloadJson)!,
                        context => context.MessageId = pending.MessageId,
                        stoppingToken);
                    break;
                default:
                    // Written by a newer version: leave it for a replica that knows the type.
                    LogUnknownType(logger, pending.MessageType, pending.MessageId);
                    await events.MarkFailedAsync(pending.MessageId, time.GetUtcNow() + RetryCeiling, "Unknown message type", CancellationToken.None);
                    return false;
            }

            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(RetryCeiling.TotalSeconds, Math.Pow(2, Math.Max(0, pending.Attempts - 1))));
            LogPublishFailed(logger, exception, pending.MessageType, pending.MessageId, delay);
            await events.MarkFailedAsync(pending.MessageId, time.GetUtcNow() + delay, exception.Message, CancellationToken.None);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {MessageType} {MessageId} failed; retrying in {Delay}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string messageType, Guid messageId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator event {MessageId} has the unknown type {MessageType}")]
    private static partial void LogUnknownType(ILogger logger, string messageType, Guid messageId);
}
