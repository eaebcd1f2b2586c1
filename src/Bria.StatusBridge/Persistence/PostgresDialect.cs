namespace Bria.StatusBridge.Persistence;

/// <summary>PostgreSQL: row locks, <c>SKIP LOCKED</c> claims, array parameters and an advisory lock for migrations.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    // Any constant will do: it only has to be the same for every replica.
    private const long MigrationLockKey = 0x4252_4941_5342;

    /// <summary>The channel of <see cref="NotifyRequestsChanged"/>: each payload is "origin request_id".</summary>
    public const string RequestsChangedChannel = "bria_request_changed";

    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override StoreProvider Provider => StoreProvider.Postgres;

    public override string ForUpdate => " FOR UPDATE";

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string? MigrationLock => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    // One notification per request (a payload holds at most 8000 bytes); identical ones in a transaction fold into one.
    public override string? NotifyRequestsChanged =>
        $"SELECT pg_notify('{RequestsChangedChannel}', @Origin || ' ' || id) FROM unnest(CAST(@Ids AS text[])) AS id";

    // Npgsql sends a string[] as one array parameter.
    public override string InIds(string column) => $"{column} = ANY(@Ids)";

    public override string JsonRows(string parameter, string alias, IReadOnlyList<JsonColumn> columns) =>
        $"jsonb_to_recordset(CAST(@{parameter} AS jsonb)) AS {alias}({string.Join(", ", columns)})";
}
