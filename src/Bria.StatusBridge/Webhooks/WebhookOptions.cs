using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Webhooks;

/// <summary>How signed webhooks are delivered (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>The default retry schedule: the wait before each attempt, the first one immediate.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(14),
        TimeSpan.FromHours(20),
        TimeSpan.FromHours(24),
    ];

    /// <summary>The bridge's own <c>whsec_</c> secret: signs per-request webhook URLs of subscribers without a
    /// partner. Set it from a secret store (<c>Webhooks__SigningSecret</c>). Without it such deliveries fail their
    /// attempts with an error that says so.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>The wait before each attempt (<c>Webhooks__RetrySchedule__0</c>, <c>__1</c>, ...); its length is the
    /// number of attempts. Empty: <see cref="DefaultRetrySchedule"/>.</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>Each wait varies by up to this fraction either way, so that retries do not arrive in waves.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>The whole attempt: connect, send, and read the answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Establishing the connection (DNS and TCP/TLS), within <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts in flight at once in this replica.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>Attempts in flight at once to one destination (an endpoint, or the host of a per-request URL),
    /// across replicas: a slow destination holds only these.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrencyPerDestination { get; set; } = 4;

    /// <summary>How long a claimed delivery stays reserved; after a crash it is sent again when this runs out.
    /// Must exceed <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest the dispatcher sleeps without looking for due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>An endpoint whose attempts all failed for this long is disabled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretRotationOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Refuse <c>http</c> URLs. Unset: on everywhere except the Development environment.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>CIDR subnets that may be called although a rule refuses them (internal deployments; tests use
    /// <c>127.0.0.1/32</c>).</summary>
    public string[]? AllowedSubnets { get; set; }

    /// <summary>PEM files of extra root certificates that HTTPS receivers may chain to (a private CA of an internal
    /// receiver), besides the system's trusted roots. They widen trust for the webhook client only; the host name must
    /// still match, and the Bria client is never affected.</summary>
    public string[]? TrustedRootCertificates { get; set; }

    /// <summary>How much of each answer's body is kept with the attempt.</summary>
    [Range(0, 1_048_576)]
    public int MaxResponseBytes { get; set; } = 20 * 1024;

    /// <summary>The schedule in force: <see cref="RetrySchedule"/> or the default.</summary>
    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule =>
        RetrySchedule is { Length: > 0 } schedule ? schedule : DefaultRetrySchedule;
}
