using System.Diagnostics;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Notifications;

/// <summary>Publishes queued outcome events with their derived <c>MessageId</c> and marks them sent once the broker
/// confirmed them. A crash between publish and mark republishes with the same id: at least once, recognisably.</summary>
internal sealed partial class OutboxDispatcher(
    IOutboxStore outbox,
    IBus publisher,
    ReplicaIdentity replica,
    BridgeMetrics metrics,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : ILoopStep
{
    private const string BusChannel = "bus";
    private readonly NotificationOptions _options = options.Value;

    /// <summary>Publishes one batch and answers how long the dispatcher may sleep before the next.</summary>
    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var batch = await outbox.ClaimAsync(replica.Id, _options.BatchSize, now, _options.LeaseDuration, stoppingToken);
        if (batch.Count > 0)
        {
            var published = await Task.WhenAll(batch.Select(n => PublishAsync(n, stoppingToken)));
            await outbox.MarkSentAsync([.. batch.Where((_, i) => published[i]).Select(n => n.MessageId)], time.GetUtcNow(), stoppingToken);
            if (batch.Count == _options.BatchSize)
            {
                return TimeSpan.Zero;
            }
        }

        var next = await outbox.NextDueAsync(stoppingToken);
        var wait = (next ?? now + _options.MaxIdleDelay) - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxIdleDelay ? _options.MaxIdleDelay : wait;
    }

    private async Task<bool> PublishAsync(PendingNotification notification, CancellationToken stoppingToken)
    {
        using var activity = Telemetry.StartFromStored("publish outcome", ActivityKind.Producer, notification.TraceParent);
        activity?.SetTag("bria.request_id", notification.RequestId);
        try
        {
            var message = OutcomeEvents.Create(notification);
            activity?.SetTag("messaging.message.id", notification.MessageId.ToString());
            // The broker's confirm completes the publish: only then is the event marked sent.
            if (message is RequestCompleted completed)
            {
                await publisher.Publish(completed, context => context.MessageId = notification.MessageId, stoppingToken);
            }
            else
            {
                await publisher.Publish((RequestFailed)message, context => context.MessageId = notification.MessageId, stoppingToken);
            }

            // A subscriber that arrived after the outcome was noticed was answered from the store at once: it never
            // waited for the bridge to notice, so it stays out of the lag.
            var waited = notification.Subscriber.CreatedAt <= notification.NoticedAt;
            metrics.Delivery(BusChannel, delivered: true, waited ? time.GetUtcNow() - notification.NoticedAt : null);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            var delay = TimeSpan.FromMilliseconds(Math.Min(
                _options.RetryCeiling.TotalMilliseconds,
                _options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, notification.Attempts - 1))));
            metrics.Delivery(BusChannel, delivered: false, null);
            LogPublishFailed(logger, exception, notification.RequestId, notification.MessageId, notification.Attempts, delay);
            await outbox.MarkFailedAsync(notification.MessageId, time.GetUtcNow() + delay, exception.Message, CancellationToken.None);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the outcome of {RequestId} (message {MessageId}, attempt {Attempt}) failed; retrying in {Delay}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string requestId, Guid messageId, int attempt, TimeSpan delay);
}
