using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Partners;

/// <summary>The operator's access to the admin API (section <c>Admin</c>; <c>Admin__ApiKey</c> in the environment).</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Admin";

    /// <summary>The operator key for <c>/v1/admin</c>. Empty: the admin API answers 401 to everyone.</summary>
    [MinLength(24, ErrorMessage = "Admin:ApiKey must be at least 24 characters (or empty to turn the admin API off).")]
    public string? ApiKey { get; set; }

    /// <summary>How stale a key's <c>last_used_at</c> may get before a request writes it again: one write per key
    /// per interval, not one per request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(1);
}
