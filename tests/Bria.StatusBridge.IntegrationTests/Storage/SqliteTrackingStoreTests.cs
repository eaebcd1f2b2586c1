using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.IntegrationTests.Storage;

public sealed class SqliteTrackingStoreTests : TrackingStoreContract
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"statusbridge-store-{Guid.NewGuid():N}.db");

    protected override StoreProvider Provider => StoreProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult($"Data Source={_file}");
}
