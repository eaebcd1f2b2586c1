namespace Bria.StatusBridge.Simulator.Stats;

/// <summary>Status calls served for one request id, with the job's own times when the id exists.</summary>
public sealed record RequestStats
{
    /// <summary>Status calls for this id, whatever was answered (200, 404, 429, 5xx).</summary>
    public int Count { get; init; }

    /// <summary>When the first status call arrived.</summary>
    public DateTimeOffset? FirstCallAt { get; init; }

    /// <summary>When the last status call arrived.</summary>
    public DateTimeOffset? LastCallAt { get; init; }

    /// <summary>Arrival time of every status call, oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> CallTimes { get; init; } = [];

    /// <summary>The <c>User-Agent</c> of every status call, in the order of <see cref="CallTimes"/> (null when absent).</summary>
    public IReadOnlyList<string?> Callers { get; init; } = [];

    /// <summary>When the first read answered a terminal state (COMPLETED, ERROR, final UNKNOWN or 404).</summary>
    public DateTimeOffset? FirstTerminalReadAt { get; init; }

    /// <summary>When the job was created; null for ids the simulator never had.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the job leaves IN_PROGRESS; null for ids the simulator never had.</summary>
    public DateTimeOffset? FinishesAt { get; init; }
}
