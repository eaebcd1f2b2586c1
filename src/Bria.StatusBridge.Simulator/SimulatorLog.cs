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
}
