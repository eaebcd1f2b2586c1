using Bria.StatusBridge.Hosting;
using Microsoft.Data.Sqlite;

namespace Bria.StatusBridge.Tests.Hosting;

public sealed class BridgeCommandLineTests : IDisposable
{
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"statusbridge-migrate-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Migrate_applies_the_schema_once_and_exits_zero()
    {
        string[] args = ["migrate", $"--ConnectionStrings:StatusBridge=Data Source={_databaseFile}", "--Persistence:Provider=Sqlite"];

        Assert.Equal(0, await BridgeCommandLine.RunAsync(args));
        Assert.Equal(0, await BridgeCommandLine.RunAsync(args));

        await using var connection = new SqliteConnection($"Data Source={_databaseFile}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM schema_migrations";
        var shipped = Bria.StatusBridge.Persistence.MigrationRunner.LoadScripts(Bria.StatusBridge.Persistence.SqlDialect.For(Bria.StatusBridge.Persistence.StoreProvider.Sqlite)).Count;
        Assert.True(shipped >= 3, "the tracking, webhook and API migrations ship");
        Assert.Equal(shipped, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Migrate_exits_non_zero_when_the_database_cannot_be_reached()
    {
        string[] args = ["migrate", "--Persistence:Provider=Postgres", "--ConnectionStrings:StatusBridge=Host=127.0.0.1;Port=1;Username=u;Password=p;Timeout=2"];

        Assert.Equal(1, await BridgeCommandLine.RunAsync(args));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_databaseFile) + "*"))
        {
            File.Delete(file);
        }
    }
}
