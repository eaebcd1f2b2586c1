using System.Diagnostics;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Tracking;

/// <summary>Takes a track command from any door (bus or HTTP), validates it and stores it; wakes the poll loop for a
/// new request (a stored outcome raises the outcome signal by itself).</summary>
internal sealed partial class TrackingService(
    TrackRequestValidator validator,
    ITrackingStore store,
    PollDecider decider,
    PollWakeSignal pollSignal,
    BriaPushService push,
    IOptions<TrackingOptions> options,
    TimeProvider time,
    ILogger<TrackingService> logger)
{
    /// <summary>Stores the command. Throws <see cref="InvalidTrackRequestException"/> when it is invalid.</summary>
    public async Task<TrackResult> TrackAsync(TrackRequest command, CancellationToken cancellationToken)
    {
        var problems = validator.Validate(command);
        if (problems.Count > 0)
        {
            throw new InvalidTrackRequestException(problems);
        }

        var now = time.GetUtcNow();
        var tracking = new TrackingCommand(
            command.RequestId,
            command.StatusUrl,
            command.CorrelationId,
            command.PartnerId,
            command.WebhookUrl,
            command.EndpointKind,
            command.Deadline ?? decider.DefaultDeadline(command.EndpointKind, now),
            command.Metadata ?? new Dictionary<string, string>(),
            Activity.Current?.Id,
            command.BriaPushes);

        var firstPollAt = decider.FirstPollAt(command.EndpointKind, now, command.BriaPushes, tracking.Deadline);
        var result = await store.TrackAsync(tracking, now, firstPollAt, cancellationToken);
        if (!result.NewSubscriber)
        {
            // The same subscriber again: a redelivery, or a re-subscription after a cancel. The subscriber's id (and so
            // its message ids) is derived from the command, and its cancellation may already have been notified:
            // reviving it could swallow its real outcome as a duplicate. Only this rare path pays for the lookup.
            var view = await store.GetAsync(command.RequestId, cancellationToken);
            if (view?.Subscribers.Any(s => s.SubscriberId == result.SubscriberId && s.CancelledAt is not null) == true)
            {
                LogSubscriberCancelled(logger, command.RequestId, result.SubscriberId);
                return result with { SubscriberCancelled = true };
            }
        }

        if (result.State == TrackingState.Tracking && await push.ApplyEarlyAsync(command.RequestId, cancellationToken) == PushApplied.Ended)
        {
            // Bria's webhook came before this command: the request ended at once, without a status call. Checked on
            // every command for a tracking request (one indexed look), so a redelivered command applies it too.
            var ended = await store.GetAsync(command.RequestId, cancellationToken);
            result = result with { State = ended?.State ?? result.State };
        }
        else if (result.NewRequest || result.Resumed)
        {
            pollSignal.Wake();
        }

        LogTracked(logger, command.RequestId, command.EndpointKind, result.NewRequest, result.NewSubscriber, result.State);
        return result;
    }

    /// <summary>Ends a partner's subscriptions to a request. The request itself never ends by a cancellation: with its
    /// last subscriber gone its polling pauses, and a later subscriber resumes it.</summary>
    public async Task<CancelResult> CancelAsync(string requestId, string partnerId, CancellationToken cancellationToken)
    {
        var notify = options.Value.NotifyOnCancel;
        var result = await store.CancelAsync(requestId, partnerId, notify, time.GetUtcNow(), cancellationToken);

        LogCancelled(logger, requestId, result);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tracking {RequestId} again names subscriber {SubscriberId}, which was cancelled: ignored (a new correlation id makes a new subscriber)")]
    private static partial void LogSubscriberCancelled(ILogger logger, string requestId, string subscriberId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelling tracking of {RequestId}: {Result}")]
    private static partial void LogCancelled(ILogger logger, string requestId, CancelResult result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tracking {RequestId} ({Kind}): new request {NewRequest}, new subscriber {NewSubscriber}, state {State}")]
    private static partial void LogTracked(ILogger logger, string requestId, EndpointKind kind, bool newRequest, bool newSubscriber, TrackingState state);
}
