using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Storage;

/// <summary>PostgreSQL keeps room on tracked_requests' pages (migration 0013): a claim writes each row's new version
/// on the row's own page. On pages packed full the versions move to whatever page the free-space map offers, which
/// with a retention period of history is a page of its own per row (read, dirtied and written to the WAL in full).</summary>
[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresClaimPlacementTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_claim_keeps_each_claimed_row_on_its_own_page()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var connections = new DbConnectionFactory(MsOptions.Create(new PersistenceOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString }));
        await new MigrationRunner(connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        await using var connection = new NpgsqlConnection(connectionString);
        var at = Now.ToUnixTimeMilliseconds();

        // 2,048 tracking requests written as the table fills; every 64th is due, so a batch of due requests is spread
        // over the table as requests tracked at different times are (one or two on a page).
        await connection.ExecuteAsync(
            """
            INSERT INTO tracked_requests (request_id, endpoint_kind, state, created_at, updated_at, deadline, next_poll_at)
            SELECT 'place-' || lpad(g::text, 5, '0'), 'Image', 'Tracking', @At, @At, @At + 3600000,
                CASE WHEN g % 64 = 0 THEN @At - 10000 + g ELSE @At + 60000 + g END
            FROM generate_series(1, 2048) AS g
            """,
            new { At = at });
        var before = await PagesAsync(connection);

        var claim = await StoreGraph.Tracking(connections).ClaimDueAsync("a", 32, Now, TimeSpan.FromSeconds(30), new BudgetPolicy(1_000_000, 1_000), takeEarly: false, CancellationToken.None);

        Assert.Equal(32, claim.Requests.Count);
        var after = await PagesAsync(connection);
        Assert.All(claim.Requests, request => Assert.Equal(before[request.RequestId], after[request.RequestId]));
    }

    private static async Task<Dictionary<string, long>> PagesAsync(NpgsqlConnection connection) =>
        (await connection.QueryAsync<(string Id, long Page)>("SELECT request_id, (ctid::text::point)[0]::bigint FROM tracked_requests"))
        .ToDictionary(row => row.Id, row => row.Page);
}
