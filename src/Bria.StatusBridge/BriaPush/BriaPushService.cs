using System.Text;
using Bria.StatusBridge.Api;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Retention;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Upstream;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.BriaPush;

/// <summary>Takes Bria's own signed webhooks: verifies them, reads the body with the poll's parser, and stores what
/// it means before the caller answers Bria. A tracked request ends in the same transaction a polled outcome uses
/// (<see cref="ITrackingStore.ApplyPushAsync(string, Tracking.TerminalOutcome?, DateTimeOffset, CancellationToken)"/>);
/// a webhook for a request not tracked yet waits in the early store and is applied the moment the request is tracked.
/// A webhook that ends a request also tells the learned schedules when the job ended.</summary>
internal sealed partial class BriaPushService(
    BriaWebhookVerifier verifier,
    ITrackingStore tracking,
    IEarlyWebhookStore early,
    IDbConnectionFactory connections,
    PollWakeSignal pollSignal,
    DurationLearning learning,
    BriaPushMetrics metrics,
    IOptions<BriaOptions> bria,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<BriaPushService> logger)
{
    /// <summary>The largest body accepted: Bria's status bodies are a few KB.</summary>
    public const long MaxBodyBytes = ApiLimits.MaxBodyBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly WarningThrottle _warnings = new(TimeSpan.FromMinutes(1));

    /// <summary>Verifies, reads and stores one webhook; answers only once what it means is durable.</summary>
    public async Task<BriaPushResult> ReceiveAsync(
        string? webhookId, string? timestamp, string? signature, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        if (verifier.Verify(webhookId, timestamp, signature, body, now) is { } broken)
        {
            return Refuse(broken);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Refuse(BriaWebhookRule.UnreadableBody);
        }

        var decision = PushDecision.Read(text, now);
        if (!decision.Readable)
        {
            return Refuse(BriaWebhookRule.UnreadableBody);
        }

        if (!string.Equals(decision.RequestId, webhookId, StringComparison.Ordinal))
        {
            return Refuse(BriaWebhookRule.IdMismatch);
        }

        var requestId = webhookId!;
        var applied = await tracking.ApplyPushAsync(requestId, decision.Outcome, now, cancellationToken);
        string result;
        if (applied == PushApplied.NotTracked)
        {
            var dropped = await early.KeepAsync(new EarlyWebhook(requestId, now, decision.Terminal, text), bria.Value.EarlyWebhookLimit, cancellationToken);
            if (dropped > 0)
            {
                metrics.EarlyDropped(dropped);
                if (_warnings.ShouldLog("early_dropped", time.GetUtcNow(), out var heldBack))
                {
                    LogEarlyDropped(logger, dropped + heldBack, bria.Value.EarlyWebhookLimit);
                }
            }

            // A TrackRequest stored meanwhile looked for this webhook before it was kept: apply it now. Either that
            // command or this check sees the other's commit, and taking the webhook is a row lock, so it applies once.
            result = await ApplyEarlyAsync(requestId, cancellationToken) is { } late ? TagOf(late) : "kept_early";
        }
        else
        {
            result = TagOf(applied);
            if (applied == PushApplied.PollNow)
            {
                pollSignal.Wake();
            }
            else if (applied == PushApplied.Ended)
            {
                await LearnAsync(requestId, cancellationToken);
            }
        }

        metrics.Accepted(result, time.GetElapsedTime(started));
        LogReceived(logger, requestId, result);
        return BriaPushResult.Stored(result);
    }

    /// <summary>Counts and (rate-limited) logs a refused webhook; never the body, the signature or a key.</summary>
    public BriaPushResult Refuse(BriaWebhookRule rule)
    {
        metrics.Refused(rule);
        var tag = BriaWebhookRules.TagOf(rule);
        if (_warnings.ShouldLog(tag, time.GetUtcNow(), out var heldBack))
        {
            LogRefused(logger, tag, heldBack);
        }

        return BriaPushResult.Refused(rule);
    }

    /// <summary>Applies the webhook that waits for <paramref name="requestId"/>, if any, once the request is tracked:
    /// answers what it did, or null when none waits (or the request is still not tracked).</summary>
    public async Task<PushApplied?> ApplyEarlyAsync(string requestId, CancellationToken cancellationToken)
    {
        if (!await early.HasAsync(requestId, cancellationToken))
        {
            return null;
        }

        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var webhook = await early.TakeAsync(transaction, requestId, cancellationToken);
        if (webhook is null)
        {
            // Another replica (or the webhook's own check) took it.
            return null;
        }

        var now = time.GetUtcNow();
        if (webhook.ReceivedAt < now - retention.Value.EarlyWebhooks)
        {
            // Past its age: dropped, as the purge would have done.
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var decision = PushDecision.Read(webhook.Body, webhook.ReceivedAt);
        var applied = await tracking.ApplyPushAsync(transaction, requestId, decision.Outcome, now, cancellationToken);
        if (applied == PushApplied.NotTracked)
        {
            // Rolled back: the webhook keeps waiting for its TrackRequest.
            return null;
        }

        await transaction.CommitAsync(cancellationToken);
        if (applied == PushApplied.PollNow)
        {
            pollSignal.Wake();
        }

        LogAppliedEarly(logger, requestId, applied);
        return applied;
    }

    /// <summary>Tells the duration estimate when the job this push ended finished. Bria sends its webhook when the job
    /// ends, so the push's arrival marks the end itself (later by the delivery only), where a poll only brackets it
    /// between two looks. A webhook kept early is not learned from: its job may have ended before tracking began.</summary>
    private async Task LearnAsync(string requestId, CancellationToken cancellationToken)
    {
        if (await tracking.GetAsync(requestId, cancellationToken) is not { NoticedAt: { } endedAt } request
            || request.State is not (TrackingState.Completed or TrackingState.Failed))
        {
            return;
        }

        var age = endedAt - request.CreatedAt;
        learning.Observe(request.Kind, age, age);
    }

    private static string TagOf(PushApplied applied) => applied switch
    {
        PushApplied.Ended => "ended",
        PushApplied.AlreadyEnded => "already_ended",
        PushApplied.PollNow => "poll_now",
        PushApplied.Unchanged => "unchanged",
        _ => "kept_early",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bria webhook for {RequestId}: {Result}")]
    private static partial void LogReceived(ILogger logger, string requestId, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied the Bria webhook that came before tracking {RequestId}: {Result}")]
    private static partial void LogAppliedEarly(ILogger logger, string requestId, PushApplied result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a post to /v1/bria/webhooks: {Rule} ({HeldBack} more refused for the same rule since the last warning)")]
    private static partial void LogRefused(ILogger logger, string rule, int heldBack);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} early Bria webhooks (oldest first): more than Bria:EarlyWebhookLimit ({Limit}) wait for their TrackRequest")]
    private static partial void LogEarlyDropped(ILogger logger, int count, int limit);
}
