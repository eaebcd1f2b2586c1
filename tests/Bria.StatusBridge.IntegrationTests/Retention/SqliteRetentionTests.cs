using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Retention;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.IntegrationTests.Retention;

public sealed class SqliteRetentionTests : RetentionContract
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"statusbridge-retention-{Guid.NewGuid():N}.db");

    protected override StoreProvider Provider => StoreProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult($"Data Source={_file}");

    [Fact]
    public async Task Purged_history_gives_its_space_back_to_the_file_system_while_the_store_stays_open()
    {
        for (var i = 0; i < 400; i++)
        {
            await Seed.DeliveryAsync($"d-{i:D4}", null, "Delivered", Old, Old, payloadBytes: 16_000);
        }

        var before = await FileBytesAsync();
        var options = Options(batchSize: 100, change: o => o.VacuumPages = 100_000);
        await RunUntilCaughtUpAsync(Replica(new MutableOptionsMonitor<RetentionOptions>(options)), options);

        Assert.Equal(0, await Seed.ScalarAsync("SELECT COUNT(*) FROM webhook_deliveries"));
        var after = await FileBytesAsync();
        Assert.True(after < before / 4, $"the file held {before} bytes before the purge and {after} after: the freed pages were not handed back");
        Assert.Equal(0, await Seed.ScalarAsync("SELECT freelist_count FROM pragma_freelist_count"));
    }

    [Fact]
    public async Task A_database_created_before_retention_is_switched_to_incremental_vacuum_once_at_start()
    {
        var file = Path.Combine(Path.GetTempPath(), $"statusbridge-legacy-{Guid.NewGuid():N}.db");
        await using (var legacy = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await legacy.OpenAsync();
            await using var create = legacy.CreateCommand();
            create.CommandText = "CREATE TABLE legacy_rows (id integer PRIMARY KEY, body text); INSERT INTO legacy_rows (body) VALUES ('kept');";
            await create.ExecuteNonQueryAsync();
        }

        var connections = new DbConnectionFactory(Microsoft.Extensions.Options.Options.Create(
            new PersistenceOptions { Provider = StoreProvider.Sqlite, ConnectionString = $"Data Source={file}" }));
        await using (connections)
        {
            var seed = new HistorySeed(connections);
            Assert.Equal(0, await seed.ScalarAsync("SELECT auto_vacuum FROM pragma_auto_vacuum"));

            await new MigrationRunner(connections, new FakeTimeProvider(Now), NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);

            Assert.Equal(2, await seed.ScalarAsync("SELECT auto_vacuum FROM pragma_auto_vacuum"));
            Assert.Equal(1, await seed.ScalarAsync("SELECT COUNT(*) FROM legacy_rows"));
        }

        SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    private Task<long> FileBytesAsync() => Seed.ScalarAsync("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
}
