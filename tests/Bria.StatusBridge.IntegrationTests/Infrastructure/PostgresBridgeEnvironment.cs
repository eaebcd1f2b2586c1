namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A <see cref="BridgeEnvironment"/> whose bridge stores in a fresh PostgreSQL database.</summary>
public class PostgresBridgeEnvironment : BridgeEnvironment
{
    private readonly PostgresFixture _postgres = new();

    protected override async Task<IReadOnlyDictionary<string, string?>> CreateStoreAsync()
    {
        await _postgres.InitializeAsync();
        return new Dictionary<string, string?>
        {
            ["Persistence:Provider"] = "Postgres",
            ["ConnectionStrings:StatusBridge"] = await _postgres.CreateDatabaseAsync(),
        };
    }

    protected override Task DisposeStoreAsync() => _postgres.DisposeAsync();
}
