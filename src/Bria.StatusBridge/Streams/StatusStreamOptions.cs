using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Streams;

/// <summary>Status streams over server-sent events (section <c>StatusStreams</c>).</summary>
public sealed class StatusStreamOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "StatusStreams";

    /// <summary>How often an idle stream gets a comment line, so that proxies and load balancers keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Open streams one partner may hold on one replica; past it, a new stream answers 429.</summary>
    [Range(1, 1_000_000)]
    public int MaxStreamsPerPartner { get; set; } = 100;

    /// <summary>How long a browser stream token opens streams (each open is checked; an open stream is not cut).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The reconnection delay the stream asks clients to use (the SSE <c>retry</c> field).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);
}
