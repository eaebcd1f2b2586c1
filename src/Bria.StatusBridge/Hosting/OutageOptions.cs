using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Hosting;

/// <summary>How outages of the bridge's dependencies are watched and reported (section <c>Outages</c>).</summary>
public sealed class OutageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Outages";

    /// <summary>How often an outage that goes on is logged again (it is always logged when it begins and ends).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Reminder { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the store is probed (<c>SELECT 1</c>) while it is unreachable; intake resumes after the first success.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StoreProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>While Bria refuses the token (401/403), polling pauses: one status call probes it this often.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CredentialProbeInterval { get; set; } = TimeSpan.FromSeconds(30);
}
