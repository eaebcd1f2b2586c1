using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Retention;

/// <summary>How long history is kept and how the purge loop removes it (section <c>Retention</c>). Nothing pending,
/// retrying, tracking or leased is ever purged, whatever the periods.</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Retention";

    /// <summary>Purge history older than its retention period (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a completed or failed request (with its result and subscribers) is kept after it ended.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan FinishedRequests { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an outbox row is kept after it was published on the bus.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan SentOutbox { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a delivered or failed webhook message (with its payload and attempts) is kept after it was created.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the receiver's answer (up to 20 KB) is kept on an attempt of a finished delivery; at most
    /// <see cref="Deliveries"/>.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan AttemptAnswers { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a Bria webhook that arrived before its <c>TrackRequest</c> waits for it (Bria's push can beat the
    /// producer's command); older ones are dropped, and so is the oldest beyond <c>Bria:EarlyWebhookLimit</c>.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan EarlyWebhooks { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows removed per statement: small batches keep locks short.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>The pause between two batches while a backlog is purged, so that the bridge's own work goes first.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BatchPause { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a replica looks for history to purge once it has caught up (jittered by a fifth, so
    /// replicas drift apart).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>SQLite only: free pages handed back to the file system after a sweep that purged rows (incremental
    /// vacuum); 0 keeps the free pages for reuse.</summary>
    [Range(0, 1_000_000)]
    public int VacuumPages { get; set; } = 2_000;
}
