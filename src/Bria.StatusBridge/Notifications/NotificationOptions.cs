using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Notifications;

/// <summary>How outcome events leave the outbox (section <c>Notifications</c>).</summary>
public sealed class NotificationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Notifications";

    /// <summary>Events claimed and published together.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long claimed events stay reserved for this replica.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest the dispatcher sleeps without looking for events (other replicas queue some too).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The first wait after a failed publish; it doubles per attempt up to <see cref="RetryCeiling"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a publish waits for the broker's confirm. Past it the publish counts as failed and is retried
    /// (same <c>MessageId</c>): a connection that drops under a publish can leave its confirm pending for ever, and one
    /// such publish would otherwise hold back every event behind it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between publish attempts; events are never dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryCeiling { get; set; } = TimeSpan.FromMinutes(5);
}
