using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.Tests.Persistence;

/// <summary>The one migration tree: every version exists for both databases, shared unless its DDL differs.</summary>
public sealed class MigrationTreeTests
{
    private static readonly IReadOnlyList<MigrationScript> Postgres = MigrationRunner.LoadScripts(SqlDialect.For(StoreProvider.Postgres));
    private static readonly IReadOnlyList<MigrationScript> Sqlite = MigrationRunner.LoadScripts(SqlDialect.For(StoreProvider.Sqlite));

    [Fact]
    public void Both_databases_get_the_same_versions_under_the_same_names_in_order()
    {
        Assert.Equal(Postgres.Select(s => (s.Version, s.Name)), Sqlite.Select(s => (s.Version, s.Name)));
        Assert.Equal(Postgres.Select(s => s.Version).Order(), Postgres.Select(s => s.Version));
        Assert.Equal(Postgres.Count, Postgres.Select(s => s.Version).Distinct().Count());
    }

    [Fact]
    public void Only_versions_whose_DDL_differs_have_a_file_per_database()
    {
        var differing = Postgres.Zip(Sqlite).Where(p => p.First.Sql != p.Second.Sql).Select(p => p.First.Name).ToList();

        Assert.Contains("0004_test_events", differing);
        Assert.Contains("0007_one_outbox", differing);
        Assert.DoesNotContain("0001_tracking", differing);
        Assert.True(differing.Count < Postgres.Count, "most migrations are shared by both databases");
    }

    [Fact]
    public void The_dialects_differ_only_where_the_databases_do()
    {
        var postgres = SqlDialect.For(StoreProvider.Postgres);
        var sqlite = SqlDialect.For(StoreProvider.Sqlite);

        Assert.Equal(" FOR UPDATE SKIP LOCKED", postgres.SkipLocked);
        Assert.Equal("", sqlite.SkipLocked);
        Assert.Equal("d.id = ANY(@Ids)", postgres.InIds("d.id"));
        Assert.Equal("d.id IN @Ids", sqlite.InIds("d.id"));
        Assert.NotNull(postgres.MigrationLock);
        Assert.Null(sqlite.MigrationLock);
        Assert.Equal("jsonb_to_recordset(CAST(@Rows AS jsonb)) AS u(id text, n bigint)", postgres.JsonRows("Rows", "u", [new("id", "text"), new("n", "bigint")]));
        Assert.Equal(
            "(SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.n') AS n FROM json_each(@Rows)) AS u",
            sqlite.JsonRows("Rows", "u", [new("id", "text"), new("n", "bigint")]));
    }
}
