namespace Bria.StatusBridge.Upstream;

/// <summary>The status client's log messages. Never a token, never a body: request ids, codes and reasons only.</summary>
internal static partial class BriaStatusClientLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug,
        Message = "Bria status for {RequestId}: {Observation} (HTTP {HttpStatus}) in {LatencyMs} ms")]
    public static partial void Observed(ILogger logger, string requestId, string observation, int? httpStatus, double latencyMs);

    // Debug, like the two below: each failed call is counted in the status-call metric, and an outage is logged once
    // when it begins and once when it ends (Hosting.Outages), not once per call.
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug,
        Message = "Bria status call for {RequestId} failed before a response: {Reason}")]
    public static partial void CallFailed(ILogger logger, string requestId, string reason, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug,
        Message = "Bria status call for {RequestId} answered HTTP {HttpStatus}: {Reason}")]
    public static partial void TransientResponse(ILogger logger, string requestId, int? httpStatus, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug,
        Message = "Bria rejected the configured api_token with HTTP {HttpStatus} (request {RequestId}); check Bria:ApiToken")]
    public static partial void CredentialsRejected(ILogger logger, string requestId, int? httpStatus);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information,
        Message = "Bria throttled the status call for {RequestId}; Retry-After {RetryAfter}")]
    public static partial void Throttled(ILogger logger, string requestId, TimeSpan? retryAfter);
}
