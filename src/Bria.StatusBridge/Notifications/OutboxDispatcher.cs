using System.Diagnostics;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Notifications;

/// <summary>Publishes every queued bus message (outcome events and operator events) with its derived
/// <c>MessageId</c> and marks it sent once the broker confirmed it. A crash between publish and mark republishes with
/// the same id: at least once, recognisably.</summary>
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
    private readonly Backoff _backoff = new(options.Value.RetryDelay, options.Value.RetryCeiling);

    /// <summary>Publishes one batch and answers how long the dispatcher may sleep before the next.</summary>
    public async Task<TimeSpan> RunOnceAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var batch = await outbox.ClaimAsync(replica.Id, _options.BatchSize, now, _options.LeaseDuration, stoppingToken);
        if (batch.Count > 0)
        {
            var published = await Task.WhenAll(batch.Select(m => PublishAsync(m, stoppingToken)));
            await outbox.MarkSentAsync([.. batch.Where((_, i) => published[i]).Select(m => m.MessageId)], time.GetUtcNow(), stoppingToken);
            if (batch.Count == _options.BatchSize)
            {
                return TimeSpan.Zero;
            }
        }

        var next = await outbox.NextDueAsync(stoppingToken);
        var wait = (next ?? now + _options.MaxIdleDelay) - time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxIdleDelay ? _options.MaxIdleDelay : wait;
    }

    /// <summary>After the loop stopped: hands back the leases of a batch the stop interrupted, so a restart or another
    /// replica publishes it at once (with the same MessageIds) instead of after <c>Notifications__LeaseDuration</c>.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        var released = await outbox.ReleaseLeasesAsync(replica.Id, cancellationToken);
        LogLeasesReleased(logger, released);
    }

    private async Task<bool> PublishAsync(OutboxMessage message, CancellationToken stoppingToken)
    {
        using var activity = message.Outcome is { } pending
            ? Telemetry.StartFromStored("publish outcome", ActivityKind.Producer, pending.TraceParent)
            : null;
        activity?.SetTag("bria.request_id", message.Outcome?.RequestId);
        try
        {
            // The broker's confirm completes the publish: only then is the message marked sent.
            switch (message)
            {
                case { Outcome: { } notification }:
                    activity?.SetTag("messaging.message.id", message.MessageId.ToString());
                    var outcome = OutcomeEvents.Create(notification);
                    if (outcome is RequestCompleted completed)
                    {
                        await PublishAsync(completed, message.MessageId, stoppingToken);
                    }
                    else
                    {
                        await PublishAsync((RequestFailed)outcome, message.MessageId, stoppingToken);
                    }

                    // A subscriber that arrived after the outcome was noticed was answered from the store at once: it never
                    // waited for the bridge to notice, so it stays out of the lag.
                    var waited = notification.Subscriber.CreatedAt <= notification.NoticedAt;
                    metrics.Delivery(BusChannel, delivered: true, waited ? time.GetUtcNow() - notification.NoticedAt : null);
                    return true;
                case { MessageType: nameof(WebhookEndpointDisabled), PayloadJson: { } json }:
                    await PublishAsync(StoreJson.Deserialize<WebhookEndpointDisabled>(json)!, message.MessageId, stoppingToken);
                    return true;
                case { MessageType: nameof(WebhookDeliveryExhausted), PayloadJson: { } json }:
                    await PublishAsync(StoreJson.Deserialize<WebhookDeliveryExhausted>(json)!, message.MessageId, stoppingToken);
                    return true;
                default:
                    // Written by a newer version: leave it for a replica that knows the type.
                    LogUnknownType(logger, message.MessageType, message.MessageId);
                    await outbox.MarkFailedAsync(message.MessageId, time.GetUtcNow() + _options.RetryCeiling, "Unknown message type", CancellationToken.None);
                    return false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            var delay = _backoff.After(message.Attempts);
            if (message.Outcome is not null)
            {
                metrics.Delivery(BusChannel, delivered: false, null);
            }

            LogPublishFailed(logger, exception, message.MessageType, message.Outcome?.RequestId, message.MessageId, message.Attempts, delay);
            await outbox.MarkFailedAsync(message.MessageId, time.GetUtcNow() + delay, exception.Message, CancellationToken.None);
            return false;
        }
    }

    /// <summary>Publishes one message and waits for the broker's confirm, at most <c>Notifications:PublishTimeout</c>.</summary>
    /// <remarks>RabbitMQ.Client 7 can leave a publish waiting for its confirm for ever when the connection drops under
    /// it, even after the connection recovers (rabbitmq/rabbitmq-dotnet-client#1930). Without a limit that one publish
    /// holds its whole batch, and with it every later event, until the bridge restarts.</remarks>
    private async Task PublishAsync<T>(T message, Guid messageId, CancellationToken stoppingToken)
        where T : class
    {
        using var deadline = new CancellationTokenSource(_options.PublishTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        try
        {
            // The publish is given the deadline too, but only WaitAsync is sure to stop waiting for a confirm that never comes.
            await publisher.Publish(message, context => context.MessageId = messageId, linked.Token).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm the publish within {_options.PublishTimeout.TotalSeconds:0.###} s");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {MessageType} for {RequestId} (message {MessageId}, attempt {Attempt}) failed; retrying in {Delay}")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string messageType, string? requestId, Guid messageId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: handed back {Count} outbox leases")]
    private static partial void LogLeasesReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} has the unknown type {MessageType}")]
    private static partial void LogUnknownType(ILogger logger, string messageType, Guid messageId);
}
