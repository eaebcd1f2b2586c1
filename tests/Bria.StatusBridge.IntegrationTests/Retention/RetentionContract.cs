using System.Diagnostics.Metrics;
using Bria.StatusBridge.BriaPush;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Bria.StatusBridge.IntegrationTests.Retention;

/// <summary>What the purge must do on every store provider; run against SQLite and PostgreSQL by the derived classes.</summary>
public abstract class RetentionContract : IAsyncLifetime
{
    private readonly List<DbConnectionFactory> _factories = [];

    protected static DateTimeOffset Now { get; } = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    protected static DateTimeOffset Old { get; } = Now - TimeSpan.FromDays(40);

    internal HistorySeed Seed { get; private set; } = null!;

    internal string ConnectionString { get; private set; } = "";

    protected abstract StoreProvider Provider { get; }

    protected abstract Task<string> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        var connections = Connect();
        await new MigrationRunner(connections, new FakeTimeProvider(Now), NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        Seed = new HistorySeed(connections);
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }
    }

    internal DbConnectionFactory Connect()
    {
        var factory = new DbConnectionFactory(MsOptions.Create(new PersistenceOptions { Provider = Provider, ConnectionString = ConnectionString }));
        _factories.Add(factory);
        return factory;
    }

    internal static RetentionOptions Options(int batchSize = 3, Action<RetentionOptions>? change = null)
    {
        var options = new RetentionOptions { BatchSize = batchSize, BatchPause = TimeSpan.Zero };
        change?.Invoke(options);
        return options;
    }

    /// <summary>A purge loop as one replica runs it, over its own connections.</summary>
    internal PurgeLoop Replica(MutableOptionsMonitor<RetentionOptions> options, TimeProvider? time = null)
    {
        var connections = Connect();
        var clock = time ?? new FakeTimeProvider(Now);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new PurgeLoop(
            [StoreGraph.Tracking(connections), new OutboxStore(connections), new DeliveryStore(connections), new EarlyWebhookStore(connections)],
            new StorageSpace(connections),
            new RetentionMetrics(meters, clock),
            options,
            clock,
            NullLogger<PurgeLoop>.Instance);
    }

    /// <summary>Runs steps until one finds no backlog (it then sleeps the interval, not the batch pause).</summary>
    internal static async Task<int> RunUntilCaughtUpAsync(PurgeLoop loop, RetentionOptions options)
    {
        for (var steps = 1; steps <= 1_000; steps++)
        {
            if (await loop.RunOnceAsync(CancellationToken.None) >= options.Interval * 0.8)
            {
                return steps;
            }
        }

        throw new InvalidOperationException("The purge did not catch up within 1000 steps.");
    }

    [Fact]
    public async Task The_purge_removes_finished_history_past_retention_and_nothing_pending_retrying_tracking_or_leased()
    {
        // Requests: finished long ago (go), recently finished (stays), and old ones that something still needs.
        await Seed.RequestAsync("done-old", "Completed", Old);
        await Seed.RequestAsync("failed-old", "Failed", Old);
        await Seed.RequestAsync("done-recent", "Completed", Now - TimeSpan.FromDays(1));
        await Seed.RequestAsync("tracking-old", "Tracking", Old);
        await Seed.RequestAsync("tracking-leased", "Tracking", Old, leaseUntil: Now + TimeSpan.FromMinutes(1));
        await Seed.RequestAsync("done-leased", "Completed", Old, leaseUntil: Now + TimeSpan.FromMinutes(1));
        await Seed.RequestAsync("done-unsent", "Completed", Old);
        await Seed.RequestAsync("done-webhook-retrying", "Completed", Old);

        // Outbox: sent long ago (goes), sent recently (stays), never sent however old (stays).
        await Seed.OutboxAsync("11111111-0000-0000-0000-000000000001", "done-old", Old, Old);
        await Seed.OutboxAsync("11111111-0000-0000-0000-000000000002", "done-recent", Now - TimeSpan.FromDays(2), Now - TimeSpan.FromDays(2));
        await Seed.OutboxAsync("11111111-0000-0000-0000-000000000003", "done-unsent", Old, null);

        // Deliveries: delivered or failed long ago (go, with attempts); a recent one loses only its old answer;
        // pending (retrying) and leased ones stay with their answers.
        await Seed.DeliveryAsync("d-delivered-old", "done-old", "Delivered", Old, Old);
        await Seed.DeliveryAsync("d-failed-old", "failed-old", "Failed", Old, Old);
        await Seed.DeliveryAsync("d-delivered-recent", "done-recent", "Delivered", Now - TimeSpan.FromDays(10), Now - TimeSpan.FromDays(10));
        await Seed.DeliveryAsync("d-delivered-fresh", "done-recent", "Delivered", Now - TimeSpan.FromDays(1), Now - TimeSpan.FromDays(1));
        await Seed.DeliveryAsync("d-retrying-old", "done-webhook-retrying", "Pending", Old, Old);
        await Seed.DeliveryAsync("d-in-flight-old", null, "Pending", Old, Old, leaseUntil: Now + TimeSpan.FromMinutes(1));

        var options = Options();
        var loop = Replica(new MutableOptionsMonitor<RetentionOptions>(options));
        var steps = await RunUntilCaughtUpAsync(loop, options);

        Assert.True(steps > 1, "a batch of 3 cannot purge this history in one step: the loop must come back for more");
        Assert.Equal(
            ["done-leased", "done-recent", "done-unsent", "done-webhook-retrying", "tracking-leased", "tracking-old"],
            await Seed.IdsAsync("SELECT request_id FROM tracked_requests"));
        Assert.Equal(
            ["s-done-leased", "s-done-recent", "s-done-unsent", "s-done-webhook-retrying", "s-tracking-leased", "s-tracking-old"],
            await Seed.IdsAsync("SELECT subscriber_id FROM subscribers"));
        Assert.Equal(
            ["11111111-0000-0000-0000-000000000002", "11111111-0000-0000-0000-000000000003"],
            await Seed.IdsAsync("SELECT message_id FROM outbox"));
        Assert.Equal(
            ["d-delivered-fresh", "d-delivered-recent", "d-in-flight-old", "d-retrying-old"],
            await Seed.IdsAsync("SELECT delivery_id FROM webhook_deliveries"));
        Assert.Equal(
            ["a-d-delivered-fresh", "a-d-delivered-recent", "a-d-in-flight-old", "a-d-retrying-old"],
            await Seed.IdsAsync("SELECT attempt_id FROM webhook_attempts"));
        Assert.Equal(
            ["a-d-delivered-fresh", "a-d-in-flight-old", "a-d-retrying-old"],
            await Seed.IdsAsync("SELECT attempt_id FROM webhook_attempts WHERE response_body IS NOT NULL"));
    }

    [Fact]
    public async Task A_retention_period_changed_at_run_time_applies_at_the_next_step()
    {
        await Seed.RequestAsync("ended-3-days-ago", "Completed", Now - TimeSpan.FromDays(3));
        await Seed.RequestAsync("ended-1-day-ago", "Completed", Now - TimeSpan.FromDays(1));
        await Seed.OutboxAsync("22222222-0000-0000-0000-000000000001", "ended-3-days-ago", Now - TimeSpan.FromDays(3), Now - TimeSpan.FromDays(3));
        var options = new MutableOptionsMonitor<RetentionOptions>(Options());
        var loop = Replica(options);

        await RunUntilCaughtUpAsync(loop, options.CurrentValue);
        Assert.Equal(2, await Seed.ScalarAsync("SELECT COUNT(*) FROM tracked_requests"));
        Assert.Equal(1, await Seed.ScalarAsync("SELECT COUNT(*) FROM outbox"));

        options.Set(Options(change: o => (o.FinishedRequests, o.SentOutbox) = (TimeSpan.FromDays(2), TimeSpan.FromDays(2))));
        await RunUntilCaughtUpAsync(loop, options.CurrentValue);
        Assert.Equal(["ended-1-day-ago"], await Seed.IdsAsync("SELECT request_id FROM tracked_requests"));
        Assert.Equal(0, await Seed.ScalarAsync("SELECT COUNT(*) FROM outbox"));

        // Switched off: nothing goes, however old.
        options.Set(Options(change: o => (o.Enabled, o.FinishedRequests) = (false, TimeSpan.FromHours(1))));
        await loop.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["ended-1-day-ago"], await Seed.IdsAsync("SELECT request_id FROM tracked_requests"));
    }

    [Fact]
    public async Task Early_Bria_webhooks_past_their_period_are_purged_and_the_count_bound_drops_the_oldest_first()
    {
        var store = new EarlyWebhookStore(Connect());
        await store.KeepAsync(new EarlyWebhook("early-2-hours-ago", Now - TimeSpan.FromHours(2), true, "{}"), 10, CancellationToken.None);
        await store.KeepAsync(new EarlyWebhook("early-10-minutes-ago", Now - TimeSpan.FromMinutes(10), true, "{}"), 10, CancellationToken.None);
        // A later hint never replaces a terminal body that waits.
        await store.KeepAsync(new EarlyWebhook("early-10-minutes-ago", Now, false, "hint"), 10, CancellationToken.None);
        var options = new MutableOptionsMonitor<RetentionOptions>(Options());

        await RunUntilCaughtUpAsync(Replica(options), options.CurrentValue);

        Assert.Equal(["early-10-minutes-ago"], await Seed.IdsAsync("SELECT request_id FROM early_bria_webhooks"));
        Assert.Equal(1, await Seed.ScalarAsync("SELECT terminal FROM early_bria_webhooks"));

        var dropped = 0;
        for (var i = 0; i < 4; i++)
        {
            dropped += await store.KeepAsync(new EarlyWebhook($"early-new-{i}", Now + TimeSpan.FromSeconds(i), true, "{}"), 3, CancellationToken.None);
        }

        Assert.Equal(2, dropped);
        Assert.Equal(["early-new-1", "early-new-2", "early-new-3"], await Seed.IdsAsync("SELECT request_id FROM early_bria_webhooks ORDER BY request_id"));
    }
}
