using Bria.StatusBridge.Polling;

namespace Bria.StatusBridge.Api.Models;

/// <summary>How one endpoint kind is polled: its mode, whether the learned schedule is in use, and what the shared
/// duration estimate says.</summary>
internal sealed record PollScheduleResponse(
    string EndpointKind,
    PollMode Mode,
    bool Learned,
    long ObservedJobs,
    int MinJobs,
    double RecentJobs,
    DurationQuantilesResponse? Durations,
    PollingWindowResponse? PollingWindow,
    double LagTargetSeconds,
    double PlannedIntervalSeconds,
    double EarlyShare,
    double MinIntervalSeconds,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<DurationBinResponse> Histogram);
