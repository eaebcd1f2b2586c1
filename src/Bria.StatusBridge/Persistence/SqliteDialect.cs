namespace Bria.StatusBridge.Persistence;

/// <summary>SQLite: one writer at a time, so no row locks; lists expanded by Dapper; JSON rows through <c>json_each</c>.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override StoreProvider Provider => StoreProvider.Sqlite;

    public override string ForUpdate => "";

    public override string SkipLocked => "";

    public override string? MigrationLock => null;

    public override string? ReclaimSpace(int pages) => $"PRAGMA incremental_vacuum({pages})";

    // auto_vacuum only changes on a database without tables, or with the VACUUM that rewrites the file.
    public override string? EnableSpaceReclaim => "PRAGMA auto_vacuum = INCREMENTAL; VACUUM;";

    public override string? SpaceReclaimEnabled => "SELECT CASE WHEN auto_vacuum = 2 THEN 1 ELSE 0 END FROM pragma_auto_vacuum";

    // One process serves a SQLite store: the in-process signal reaches every watcher.
    public override string? NotifyRequestsChanged => null;

    // Dapper expands a list parameter into (@Ids1, @Ids2, ...).
    public override string InIds(string column) => $"{column} IN @Ids";

    public override string JsonRows(string parameter, string alias, IReadOnlyList<JsonColumn> columns) =>
        $"(SELECT {string.Join(", ", columns.Select(c => $"json_extract(value, '$.{c.Name}') AS {c.Name}"))} FROM json_each(@{parameter})) AS {alias}";
}
