using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Retention;
using Dapper;

namespace Bria.StatusBridge.IntegrationTests.Retention;

[Collection(PostgresCollectionDefinition.Name)]
public sealed class PostgresRetentionTests(PostgresFixture postgres) : RetentionContract
{
    protected override StoreProvider Provider => StoreProvider.Postgres;

    protected override Task<string> CreateDatabaseAsync() => postgres.CreateDatabaseAsync();

    [Fact]
    public async Task Two_replicas_purging_together_remove_each_row_once_and_leave_tracking_rows_alone()
    {
        await using (var connection = await Seed.OpenAsync())
        {
            // Set-based, as the benchmark seeds: 600 finished requests with subscribers and sent events, 100 tracking.
            await connection.ExecuteAsync(
                """
                INSERT INTO tracked_requests (request_id, endpoint_kind, state, created_at, updated_at, deadline, next_poll_at)
                SELECT 'r-' || g, 'Image', CASE WHEN g <= 600 THEN 'Completed' ELSE 'Tracking' END, @Old, @Old, @Old,
                    CASE WHEN g <= 600 THEN NULL ELSE @Old END
                FROM generate_series(1, 700) AS g;
                INSERT INTO subscribers (subscriber_id, request_id, created_at) SELECT 's-' || g, 'r-' || g, @Old FROM generate_series(1, 700) AS g;
                INSERT INTO outbox (message_id, request_id, subscriber_id, message_type, created_at, next_attempt_at, sent_at)
                SELECT md5('m-' || g)::uuid::text, 'r-' || g, 's-' || g, 'RequestCompleted', @Old, @Old, @Old FROM generate_series(1, 600) AS g;
                """,
                new { Old = Old.ToUnixTimeMilliseconds() });
        }

        var options = Options(batchSize: 25);
        var monitor = new MutableOptionsMonitor<RetentionOptions>(options);
        var replicas = new[] { Replica(monitor), Replica(monitor) };
        using var start = new Barrier(replicas.Length);
        var steps = await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await RunUntilCaughtUpAsync(replica, options);
        })));

        Assert.All(steps, s => Assert.True(s >= 1));
        Assert.Equal(0, await Seed.ScalarAsync("SELECT COUNT(*) FROM tracked_requests WHERE state = 'Completed'"));
        Assert.Equal(0, await Seed.ScalarAsync("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(100, await Seed.ScalarAsync("SELECT COUNT(*) FROM tracked_requests WHERE state = 'Tracking'"));
        Assert.Equal(100, await Seed.ScalarAsync("SELECT COUNT(*) FROM subscribers"));
    }

    [Fact]
    public async Task The_purge_skips_rows_another_replica_has_locked_instead_of_waiting_for_them()
    {
        for (var i = 0; i < 6; i++)
        {
            await Seed.RequestAsync($"ended-{i}", "Completed", Old);
        }

        // Another replica is in the middle of a batch: it holds two of the rows until its transaction ends.
        await using var other = await Seed.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await other.ExecuteAsync("SELECT request_id FROM tracked_requests WHERE request_id IN ('ended-0', 'ended-1') FOR UPDATE", transaction: transaction);

        var options = Options(batchSize: 10);
        var purge = RunUntilCaughtUpAsync(Replica(new MutableOptionsMonitor<RetentionOptions>(options)), options);
        Assert.Same(purge, await Task.WhenAny(purge, Task.Delay(TimeSpan.FromSeconds(30))));
        await purge;

        Assert.Equal(["ended-0", "ended-1"], await Seed.IdsAsync("SELECT request_id FROM tracked_requests"));
        await transaction.RollbackAsync();
    }
}
