using System.ComponentModel.DataAnnotations;
using Bria.StatusBridge.Contracts;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling;

/// <summary>How the bridge polls Bria (section <c>Polling</c>).</summary>
public sealed class PollingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Polling";

    /// <summary>This replica's name on the leases it takes, stable across restarts so that a restarted replica takes back
    /// what it held at once. Empty: the host name (a Kubernetes pod keeps it across container restarts). If another
    /// live process already holds the name (two processes on one host), this one runs under the name plus a random suffix.</summary>
    [MaxLength(100)]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]*$", ErrorMessage = "Polling:ReplicaId may hold letters, digits, '.', '_' and '-' only.")]
    public string? ReplicaId { get; set; }

    /// <summary>Status calls per minute for all replicas together: Bria counts them against the account's limit.</summary>
    [Range(2, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>The sliding window Bria counts <see cref="RequestsPerMinute"/> in: one minute. Only a time-scaled run
    /// (the benchmarks) shortens it, so that the whole budget, its burst included, scales with time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Status calls in flight at once, per replica.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>How long a claimed request stays reserved for this replica; a dead replica's leases run out after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest the scheduler sleeps without looking at the store (other replicas add work it is not told of).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive <c>UNKNOWN</c> answers tolerated; one more ends the request as <c>Unknown</c>.</summary>
    [Range(1, 1000)]
    public int UnknownTolerance { get; set; } = 3;

    /// <summary>How long 404 answers are tolerated after the first, because a brand-new id may not be visible yet.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan NotFoundGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait after a transient failure (5xx, timeout, connection error); it doubles per failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TransientBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait after transient failures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TransientBackoffCeiling { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long every poll pauses after a 429 without <c>Retry-After</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ThrottlePause { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest <c>Retry-After</c> honoured; longer values are clamped to it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How learned schedules learn and pace themselves.</summary>
    [Required]
    [ValidateObjectMembers]
    public LearningOptions Learning { get; set; } = new();

    /// <summary>Schedule for image requests: seconds. A fixed interval (growth 1): image jobs end within seconds, so
    /// the older a job, the likelier it has finished; growing intervals would poll exactly those jobs least often, and
    /// under a binding budget oldest-due-first with a fixed interval shares the calls round-robin among due jobs.</summary>
    [Required]
    [ValidateObjectMembers]
    public KindSchedule Image { get; set; } = new() { Growth = 1.0 };

    /// <summary>Schedule for video requests: minutes.</summary>
    [Required]
    [ValidateObjectMembers]
    public KindSchedule Video { get; set; } = new()
    {
        FirstDelay = TimeSpan.FromSeconds(30),
        Interval = TimeSpan.FromSeconds(10),
        Growth = 1.5,
        Ceiling = TimeSpan.FromMinutes(1),
        DefaultTimeout = TimeSpan.FromHours(2),
    };

    /// <summary>Schedule for structured-prompt requests: seconds.</summary>
    [Required]
    [ValidateObjectMembers]
    public KindSchedule StructuredPrompt { get; set; } = new()
    {
        FirstDelay = TimeSpan.FromSeconds(1),
        Interval = TimeSpan.FromSeconds(1),
        Growth = 1.5,
        Ceiling = TimeSpan.FromSeconds(10),
        DefaultTimeout = TimeSpan.FromMinutes(30),
    };

    /// <summary>The sparse schedules of requests that Bria pushes to the bridge (<c>TrackRequest.BriaPushes</c>).</summary>
    [Required]
    [ValidateObjectMembers]
    public PushSafetySchedules PushSafety { get; set; } = new();

    /// <summary>The schedule of one endpoint kind.</summary>
    public KindSchedule For(EndpointKind kind) => kind switch
    {
        EndpointKind.Video => Video,
        EndpointKind.StructuredPrompt => StructuredPrompt,
        _ => Image,
    };
}
