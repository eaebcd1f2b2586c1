namespace Bria.StatusBridge.Persistence;

/// <summary>Everything the two databases spell differently, chosen once when the store is configured: row locks,
/// id lists, rows passed as one JSON parameter, and the lock that serialises migrations. Stores write one statement
/// and splice these in; no store branches on the provider.</summary>
internal abstract class SqlDialect
{
    /// <summary>The database this dialect speaks to.</summary>
    public abstract StoreProvider Provider { get; }

    /// <summary>Appended to a <c>SELECT</c> that must lock its rows until the transaction ends (SQLite has one writer:
    /// nothing to add).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to the inner <c>SELECT</c> of a claim: replicas skip each other's locked rows.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>The statement that serialises migrations across replicas inside the migration's transaction, or
    /// null when the database has a single writer anyway.</summary>
    public abstract string? MigrationLock { get; }

    /// <summary>The statement, in the caller's transaction, that tells every replica the requests of the list parameter
    /// <c>@Ids</c> changed (<c>@Origin</c> names the writing replica); delivered only on commit. Null when the store
    /// serves a single instance (SQLite): the in-process signal reaches every watcher.</summary>
    public abstract string? NotifyRequestsChanged { get; }

    /// <summary>The suffix of a migration file written for this database only (<c>0004_x.postgres.sql</c>).</summary>
    public string MigrationSuffix => Provider.ToString().ToLowerInvariant();

    /// <summary>The statement that hands up to <paramref name="pages"/> free pages back to the file system after a purge,
    /// or null when the database does so itself (PostgreSQL's autovacuum reuses the space).</summary>
    public virtual string? ReclaimSpace(int pages) => null;

    /// <summary>The statement that switches an existing database to reclaimable free pages (one rewrite of the file),
    /// or null when there is nothing to switch.</summary>
    public virtual string? EnableSpaceReclaim => null;

    /// <summary>The query answering whether space is already reclaimable (1) or not (0), or null when not needed.</summary>
    public virtual string? SpaceReclaimEnabled => null;

    /// <summary>The dialect of <paramref name="provider"/>.</summary>
    public static SqlDialect For(StoreProvider provider) => provider switch
    {
        StoreProvider.Postgres => PostgresDialect.Instance,
        StoreProvider.Sqlite => SqliteDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown store provider."),
    };

    /// <summary><paramref name="column"/> is one of the values of the list parameter <c>@Ids</c> (a string array).</summary>
    public abstract string InIds(string column);

    /// <summary>A table source, aliased <paramref name="alias"/>, of the rows of the JSON array parameter
    /// <paramref name="parameter"/>: one row per element, one column per named property. Lets one statement update a
    /// whole batch in one round trip on either database.</summary>
    public abstract string JsonRows(string parameter, string alias, IReadOnlyList<JsonColumn> columns);
}
