using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Simulator;

/// <summary>The simulator's log messages.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Job {RequestId} created: {Kind}, {Outcome}, finishes at {FinishesAt:O}")]
    public static partial void JobCreated(ILogger logger, string requestId, JobKind kind, JobOutcome outcome, DateTimeOffset finishesAt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Faults set: status {StatusCode} at rate {Rate}, latency {LatencyMs} ms, budget {RequestsPerMinute} per minute")]
    public static partial void FaultsChanged(ILogger logger, int? statusCode, double rate, int latencyMs, int? requestsPerMinute);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Statistics reset")]
    public static partial void StatsReset(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "All {Count} jobs removed")]
    public static partial void JobsCleared(ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Webhook settings: loss {LossRate}, duplicates {DuplicateRate}, delay {DelayMs} ms, first {FailFirstAttempts} attempts fail, at most {MaxAttempts} attempts, bad signatures {BadSignatureRate}, string error code {StringErrorCode}")]
    public static partial void WebhookSettingsChanged(ILogger logger, double lossRate, double duplicateRate, long delayMs, int failFirstAttempts, int maxAttempts, double badSignatureRate, bool stringErrorCode);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Webhook of {RequestId} lost: the webhook queue is full")]
    public static partial void WebhookQueueFull(ILogger logger, string requestId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Webhook of {RequestId} delivered on attempt {Attempt}: {StatusCode}")]
    public static partial void WebhookDelivered(ILogger logger, string requestId, int attempt, int statusCode);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Webhook of {RequestId} failed on attempt {Attempt}: {Reason}")]
    public static partial void WebhookFailed(ILogger logger, string requestId, int attempt, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Webhook of {RequestId} lost: {Reason}")]
    public static partial void WebhookLost(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Webhook sender iteration failed; it goes on")]
    public static partial void WebhookLoopFailed(ILogger logger, Exception exception);
}
