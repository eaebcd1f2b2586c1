using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Tracking;

/// <summary>Limits on what a track command may carry (section <c>Tracking</c>).</summary>
public sealed class TrackingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Tracking";

    /// <summary>Most metadata entries per command.</summary>
    [Range(0, 1000)]
    public int MaxMetadataEntries { get; set; } = 32;

    /// <summary>Most characters in a metadata key.</summary>
    [Range(1, 1000)]
    public int MaxMetadataKeyLength { get; set; } = 64;

    /// <summary>Most UTF-8 bytes of all metadata keys and values together.</summary>
    [Range(0, 1_000_000)]
    public int MaxMetadataBytes { get; set; } = 8 * 1024;

    /// <summary>The furthest deadline a command may ask for.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan MaxDeadline { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether cancelling a tracking notifies the canceller with <c>RequestFailed</c>, reason <c>Cancelled</c>.</summary>
    public bool NotifyOnCancel { get; set; } = true;
}
