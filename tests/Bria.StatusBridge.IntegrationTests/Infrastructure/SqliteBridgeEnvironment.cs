using Microsoft.Data.Sqlite;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A <see cref="BridgeEnvironment"/> whose bridge stores in a temporary SQLite file: the embedded
/// single-instance set-up, still on RabbitMQ.</summary>
public class SqliteBridgeEnvironment : BridgeEnvironment
{
    private readonly string _databaseFile = Path.Combine(Path.GetTempPath(), $"statusbridge-{Guid.NewGuid():N}.db");

    protected override Task<IReadOnlyDictionary<string, string?>> CreateStoreAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Sqlite",
            ["ConnectionStrings:StatusBridge"] = $"Data Source={_databaseFile}",
        });

    protected override Task DisposeStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databaseFile)!, Path.GetFileName(_databaseFile) + "*"))
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }
}
