using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;

namespace Bria.StatusBridge.IntegrationTests.Storage;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresTrackingStoreTests(PostgresFixture postgres) : TrackingStoreContract
{
    protected override StoreProvider Provider => StoreProvider.Postgres;

    protected override Task<string> CreateDatabaseAsync() => postgres.CreateDatabaseAsync();
}
