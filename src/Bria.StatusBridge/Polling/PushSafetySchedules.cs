using System.ComponentModel.DataAnnotations;
using Bria.StatusBridge.Contracts;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling;

/// <summary>The sparse poll schedules of requests whose producer asked Bria to push the outcome to the bridge
/// (section <c>Polling:PushSafety</c>): Bria's webhook normally ends them, so polls only catch a lost one. Each first
/// delay lies past the kind's usual duration, so a delivered webhook costs no status call; the intervals then grow,
/// finding a lost webhook within minutes, long before the deadline. <see cref="PollSchedule.DefaultTimeout"/> is not
/// used here: the kind's own schedule sets the deadline.</summary>
public sealed class PushSafetySchedules
{
    /// <summary>Image requests: jobs end within seconds.</summary>
    [Required]
    [ValidateObjectMembers]
    public PollSchedule Image { get; set; } = new()
    {
        FirstDelay = TimeSpan.FromSeconds(30),
        Interval = TimeSpan.FromSeconds(30),
        Growth = 2,
        Ceiling = TimeSpan.FromMinutes(5),
    };

    /// <summary>Video requests: jobs take minutes.</summary>
    [Required]
    [ValidateObjectMembers]
    public PollSchedule Video { get; set; } = new()
    {
        FirstDelay = TimeSpan.FromMinutes(3),
        Interval = TimeSpan.FromMinutes(1),
        Growth = 1.5,
        Ceiling = TimeSpan.FromMinutes(10),
    };

    /// <summary>Structured-prompt requests: jobs end within seconds.</summary>
    [Required]
    [ValidateObjectMembers]
    public PollSchedule StructuredPrompt { get; set; } = new()
    {
        FirstDelay = TimeSpan.FromSeconds(20),
        Interval = TimeSpan.FromSeconds(20),
        Growth = 2,
        Ceiling = TimeSpan.FromMinutes(5),
    };

    /// <summary>The safety schedule of one endpoint kind.</summary>
    public PollSchedule For(EndpointKind kind) => kind switch
    {
        EndpointKind.Video => Video,
        EndpointKind.StructuredPrompt => StructuredPrompt,
        _ => Image,
    };
}
