namespace Bria.StatusBridge.Retention;

/// <summary>A store that can remove its own history: each table's owner purges it (one store per table).</summary>
internal interface IRetentionTarget
{
    /// <summary>The kinds of history this store holds.</summary>
    IReadOnlyList<RetentionKind> Kinds { get; }

    /// <summary>Removes at most <paramref name="limit"/> rows of <paramref name="kind"/> that finished before
    /// <paramref name="horizon"/> (Unix milliseconds) and that nothing pending, retrying, tracking or leased still
    /// needs; rows another replica is purging are skipped. Answers the number removed.</summary>
    Task<int> PurgeAsync(RetentionKind kind, long horizon, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>When the oldest retained row of <paramref name="kind"/> finished; null when there is none.</summary>
    Task<DateTimeOffset?> OldestRetainedAsync(RetentionKind kind, CancellationToken cancellationToken);
}
