using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Storage;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresStorageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Postgres_write_then_read()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var insert = dataSource.CreateCommand("INSERT INTO notes (id, body) VALUES ($1, $2)"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = 7 });
            insert.Parameters.Add(new NpgsqlParameter { Value = "written to PostgreSQL" });
            await insert.ExecuteNonQueryAsync();
        }

        await using var select = dataSource.CreateCommand("SELECT body FROM notes WHERE id = 7");
        var body = await select.ExecuteScalarAsync();

        Assert.Equal("written to PostgreSQL", body);
    }
}
