using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Storage;

/// <summary>The one migration tree gives both databases the same schema: every migration applied to a fresh
/// PostgreSQL database and a fresh SQLite file leaves the same tables, columns (type by affinity, nullability) and
/// indexes.</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class MigrationSchemaTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"statusbridge-schema-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Every_migration_gives_PostgreSQL_and_SQLite_the_same_tables_columns_and_indexes()
    {
        var postgresConnection = await postgres.CreateDatabaseAsync();
        var sqliteConnection = $"Data Source={_file}";
        var appliedToPostgres = await MigrateAsync(StoreProvider.Postgres, postgresConnection);
        var appliedToSqlite = await MigrateAsync(StoreProvider.Sqlite, sqliteConnection);

        Assert.Equal(appliedToPostgres, appliedToSqlite);
        Assert.Equal(MigrationRunner.LoadScripts(SqlDialect.For(StoreProvider.Postgres)).Select(s => s.Name), appliedToPostgres);

        var postgresSchema = await PostgresSchemaAsync(postgresConnection);
        var sqliteSchema = await SqliteSchemaAsync(sqliteConnection);
        Assert.Contains("tracked_requests.request_id text not null", postgresSchema.Columns);
        Assert.Contains("ix_tracked_requests_due", postgresSchema.Indexes);
        Assert.Equal(postgresSchema.Columns, sqliteSchema.Columns);
        Assert.Equal(postgresSchema.Indexes, sqliteSchema.Indexes);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(path);
        }
    }

    private static async Task<IReadOnlyList<string>> MigrateAsync(StoreProvider provider, string connectionString)
    {
        await using var connections = new DbConnectionFactory(MsOptions.Create(new PersistenceOptions { Provider = provider, ConnectionString = connectionString }));
        return await new MigrationRunner(connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
    }

    private static async Task<Schema> PostgresSchemaAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var columns = await connection.QueryAsync<(string Table, string Column, string Type, string Nullable)>(
            """
            SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
            """);
        var indexes = await connection.QueryAsync<string>("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix\\_%'");
        return new Schema(
            [.. columns.Select(c => Column(c.Table, c.Column, c.Type, c.Nullable == "NO")).Order(StringComparer.Ordinal)],
            [.. indexes.Order(StringComparer.Ordinal)]);
    }

    private static async Task<Schema> SqliteSchemaAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        var tables = await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations'");
        var columns = new List<string>();
        foreach (var table in tables)
        {
            // A SQLite primary key other than an integer one accepts NULL unless declared NOT NULL; PostgreSQL's never does.
            var info = await connection.QueryAsync<(long Cid, string Name, string Type, long NotNull, string? Default, long Pk)>($"PRAGMA table_info({table})");
            columns.AddRange(info.Select(c => Column(table, c.Name, c.Type, c.NotNull == 1 || c.Pk > 0)));
        }

        var indexes = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix\\_%' ESCAPE '\\'");
        return new Schema([.. columns.Order(StringComparer.Ordinal)], [.. indexes.Order(StringComparer.Ordinal)]);
    }

    // Types compared as SQLite reads them (its affinity rules), which is all that both databases must agree on.
    private static string Column(string table, string column, string type, bool notNull)
    {
        var declared = type.ToUpperInvariant();
        var affinity = declared.Contains("INT", StringComparison.Ordinal) ? "integer"
            : declared.Contains("CHAR", StringComparison.Ordinal) || declared.Contains("TEXT", StringComparison.Ordinal) ? "text"
            : declared.Contains("REAL", StringComparison.Ordinal) || declared.Contains("DOUB", StringComparison.Ordinal) || declared.Contains("FLOA", StringComparison.Ordinal) ? "real"
            : declared;
        return $"{table}.{column} {affinity} {(notNull ? "not null" : "null")}";
    }

    private sealed record Schema(IReadOnlyList<string> Columns, IReadOnlyList<string> Indexes);
}
