using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Retention;
using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The scale scenario's history part: N finished requests (each with a subscriber, a sent outbox row, a
/// delivered webhook message and its attempt, generated with set-based SQL) beside M tracking ones in PostgreSQL. It
/// times the scheduler's statements and the list queries without and with the history, purges one retention period
/// of it, and runs the purge beside a steady stream of finished requests while the scheduler claims.</summary>
internal static class ScaleHistory
{
    private const int Batch = 32;
    private const int Partners = 100;
    private const int GenerateChunk = 500_000;
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public static async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var history = options.Integer("history", 10_000_000, 2_000);
        var tracking = options.Integer("history-tracking", 100_000, 1_000);
        var samples = options.Integer("claims", 30, 5);
        var steady = TimeSpan.FromSeconds(options.Number("steady-seconds", 120, 3));
        var finishRate = options.Number("finish-rate", 20, 20);
        report.Parameters["history"] = $"{history:N0} finished requests (each: 1 subscriber, 1 sent outbox row, 1 delivered webhook message, 1 attempt) beside {tracking:N0} tracking";
        report.Parameters["steady phase"] = $"{steady.TotalSeconds} s at {finishRate} finished requests/s";

        var connectionString = await BenchServers.CreateDatabaseAsync("statusbridge_bench_history", cancellationToken);
        try
        {
            await using var factory = new DbConnectionFactory(Options.Create(new PersistenceOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString }));
            await new MigrationRunner(factory, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(cancellationToken);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var due = Math.Min(Math.Max(tracking / 100, 1), samples * Batch);
            progress.Phase($"history: {tracking:N0} tracking requests and {Partners} partners with an endpoint each");
            await SeedTrackingAsync(connection, tracking, due, now);
            await connection.ExecuteAsync("VACUUM ANALYZE");

            var stores = new Stores(factory);
            var without = await MeasureAsync(stores, connection, samples, due, now, cancellationToken);

            progress.Phase($"history: generating {history:N0} finished requests with set-based SQL");
            var clock = Stopwatch.StartNew();
            for (var from = 1; from <= history; from += GenerateChunk)
            {
                var to = Math.Min(history, from + GenerateChunk - 1);
                await GenerateHistoryAsync(connection, from, to, history, now - Retention, Retention);
                progress.Tick(() => $"history: {to:N0} of {history:N0} generated ({clock.Elapsed.TotalSeconds:0} s)");
            }

            var generated = clock.Elapsed;
            await connection.ExecuteAsync(new CommandDefinition("VACUUM ANALYZE", commandTimeout: 0, cancellationToken: cancellationToken));
            var sizeBefore = await DatabaseBytesAsync(connection);
            var with = await MeasureAsync(stores, connection, samples, due, now, cancellationToken);

            // One retention period later every row of history is past its horizon; the purge removes it all.
            progress.Phase("history: purging one retention period of history");
            var later = new ShiftedTime(now + Retention + TimeSpan.FromMinutes(1) - DateTimeOffset.UtcNow);
            var bulk = new RetentionOptions { BatchSize = 5_000, BatchPause = TimeSpan.Zero };
            var bulkLoop = Loop(factory, bulk, later);
            clock.Restart();
            var steps = 0;
            while (await bulkLoop.RunOnceAsync(cancellationToken) < bulk.Interval * 0.8)
            {
                if (++steps % 20 == 0)
                {
                    var left = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tracked_requests WHERE state <> 'Tracking'");
                    progress.Tick(() => $"history: purging, {left:N0} finished requests left ({clock.Elapsed.TotalSeconds:0} s)");
                }
            }

            var purgeTime = clock.Elapsed;
            var sizeAfterPurge = await DatabaseBytesAsync(connection);
            await connection.ExecuteAsync(new CommandDefinition("VACUUM", commandTimeout: 0, cancellationToken: cancellationToken));
            var sizeAfterVacuum = await DatabaseBytesAsync(connection);
            var afterPurge = await MeasureAsync(stores, connection, samples, due, now, cancellationToken);

            progress.Phase($"history: steady {finishRate}/s finished requests for {steady.TotalSeconds} s beside the scheduler and the default purge");
            var steadyResult = await SteadyAsync(factory, stores, connectionString, finishRate, steady, cancellationToken);
            var sizeAfterSteady = await DatabaseBytesAsync(connection);

            var table = report.AddTable(
                $"The scheduler and the lists beside {history:N0} finished requests of history ({tracking:N0} tracking, PostgreSQL)",
                "statement (p50 ms)", "without history", "with history", "ratio", "after the purge");
            Row(table, "claim a batch of 32", without.Claim, with.Claim, afterPurge.Claim);
            Row(table, "next due", without.NextDue, with.NextDue, afterPurge.NextDue);
            Row(table, "API: list an endpoint's deliveries (50)", without.ApiList, with.ApiList, afterPurge.ApiList);
            Row(table, "portal: list a partner's requests (50)", without.PortalList, with.PortalList, afterPurge.PortalList);

            var purge = report.AddTable(
                "Purging the history",
                "history generated", "database before", "purge of one retention period", "requests purged/s", "database after the purge", "after VACUUM",
                "steady: finished/s", "steady: purged/s", "steady: eligible left at end", "steady: claim p50 / p95 ms", "database after steady");
            purge.Add(
                $"{history:N0} in {generated.TotalSeconds:0} s",
                Mb(sizeBefore),
                $"{purgeTime.TotalSeconds:0.0} s",
                (history / purgeTime.TotalSeconds).ToString("0", CultureInfo.InvariantCulture),
                Mb(sizeAfterPurge),
                Mb(sizeAfterVacuum),
                steadyResult.FinishedPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                steadyResult.PurgedPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                steadyResult.EligibleAtEnd.ToString(CultureInfo.InvariantCulture),
                $"{Latencies.Ms(steadyResult.Claim.Percentile(50))} / {Latencies.Ms(steadyResult.Claim.Percentile(95))}",
                Mb(sizeAfterSteady));

            report.Data["history"] = new System.Text.Json.Nodes.JsonObject
            {
                ["history_requests"] = history,
                ["tracking_requests"] = tracking,
                ["generate_seconds"] = generated.TotalSeconds,
                ["table_bytes"] = sizeBefore,
                ["database_bytes_before"] = sizeBefore,
                ["database_bytes_after_purge"] = sizeAfterPurge,
                ["database_bytes_after_vacuum"] = sizeAfterVacuum,
                ["purge_seconds"] = purgeTime.TotalSeconds,
                ["claim_ratio"] = with.Claim.Percentile(50) / without.Claim.Percentile(50),
                ["next_due_ratio"] = with.NextDue.Percentile(50) / without.NextDue.Percentile(50),
                ["api_list_ratio"] = with.ApiList.Percentile(50) / without.ApiList.Percentile(50),
                ["portal_list_ratio"] = with.PortalList.Percentile(50) / without.PortalList.Percentile(50),
                ["steady_finished_per_s"] = steadyResult.FinishedPerSecond,
                ["steady_purged_per_s"] = steadyResult.PurgedPerSecond,
                ["steady_eligible_at_end"] = steadyResult.EligibleAtEnd,
            };
            report.Notes.Add($"History: generated in chunks of {GenerateChunk:N0} with INSERT … SELECT FROM generate_series (no row-by-row inserts), its times spread over the last {Retention.TotalDays} days, over {Partners} partners with one endpoint each; then VACUUM ANALYZE. Statements are timed from this process as the scale table times them, after a discarded warm-up pass ({samples} claims, {samples * 5} of each read); 'API list' is DeliveryStore.ListDeliveriesAsync behind GET /v1/webhook-endpoints/{{id}}/deliveries, 'portal list' TrackingStore.ListForPartnerAsync behind /portal/requests.");
            report.Notes.Add("Purge of one retention period: the purge loop with a clock one retention period (plus a minute) later, batches of 5,000, no pause, until caught up; 'requests purged/s' counts finished requests, each taking its subscriber, outbox row, delivery and attempt with it (5 rows). PostgreSQL keeps the freed pages for reuse (the files do not shrink; VACUUM FULL would, with a lock), so 'database after' shows that the space is reusable rather than returned.");
            report.Notes.Add("Steady: the default purge settings (batches of 500, 100 ms pause) except a 5 s interval, on its own connections, while a writer ends requests at the given rate with an end time one retention period ago (each eligible at once: the worst case of a period's arrivals) and the scheduler claims every 100 ms. 'eligible left at end' counts finished requests past the horizon still in the table when the phase stops.");
        }
        finally
        {
            await BenchServers.DropDatabaseAsync(connectionString);
        }
    }

    private static PurgeLoop Loop(IDbConnectionFactory factory, RetentionOptions options, TimeProvider time)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var stores = new Stores(factory);
        return new PurgeLoop(
            [stores.Tracking, new OutboxStore(factory), stores.Deliveries],
            new StorageSpace(factory),
            new RetentionMetrics(meters, time),
            new FixedMonitor(options),
            time,
            NullLogger<PurgeLoop>.Instance);
    }

    private static async Task SeedTrackingAsync(NpgsqlConnection connection, int tracking, int due, DateTimeOffset now)
    {
        var hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
        await connection.ExecuteAsync(
            """
            INSERT INTO tracked_requests (request_id, endpoint_kind, state, created_at, updated_at, deadline, next_poll_at)
            SELECT 'track-' || lpad(g::text, 8, '0'), 'Image', 'Tracking', @At, @At, @At + 24 * @Hour,
                CASE WHEN g <= @Due THEN @At - 1000 + g ELSE @At + @Hour + (g % @Hour) END
            FROM generate_series(1, @Count) AS g;
            INSERT INTO subscribers (subscriber_id, request_id, correlation_id, partner_id, created_at)
            SELECT 's-track-' || g, 'track-' || lpad(g::text, 8, '0'), 'c-' || g, 'prt_bench_' || (g % @Partners), @At
            FROM generate_series(1, @Count) AS g;
            INSERT INTO partners (partner_id, name, created_at, signing_secret) SELECT 'prt_bench_' || p, 'Bench ' || p, @At, 'whsec_bench' FROM generate_series(0, @Partners - 1) AS p;
            INSERT INTO webhook_endpoints (endpoint_id, partner_id, url, event_types, secret, created_at, updated_at)
            SELECT 'ep_bench_' || p, 'prt_bench_' || p, 'https://partner-' || p || '.example.com/hooks', 'request.completed request.failed', 'whsec_bench', @At, @At
            FROM generate_series(0, @Partners - 1) AS p;
            """,
            new { At = now.ToUnixTimeMilliseconds(), Hour = hour, Due = due, Count = tracking, Partners });
    }

    // Rows from..to of count, their end times spread evenly from start over the period.
    private static Task<int> GenerateHistoryAsync(NpgsqlConnection connection, int from, int to, int count, DateTimeOffset start, TimeSpan period) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TEMP TABLE IF NOT EXISTS gen (g bigint, t bigint, p int);
            TRUNCATE gen;
            INSERT INTO gen SELECT g, @Start + (g * @Period / @Count), g % @Partners FROM generate_series(@From, @To) AS g;
            INSERT INTO tracked_requests (request_id, endpoint_kind, state, created_at, updated_at, deadline, polls, last_observation,
                last_http_status, failure_reason, result_json, error_json, finished_at, noticed_at, last_polled_at)
            SELECT 'hist-' || g, 'Image', CASE WHEN g % 20 = 0 THEN 'Failed' ELSE 'Completed' END, t - 9000, t, t + 1800000, 6,
                CASE WHEN g % 20 = 0 THEN 'Failed' ELSE 'Completed' END, 200,
                CASE WHEN g % 20 = 0 THEN 'Error' END,
                CASE WHEN g % 20 <> 0 THEN '{"result":[{"urls":["https://cdn.example.com/results/' || md5(g::text) || '.png"],"seed":' || g || '}]}' END,
                CASE WHEN g % 20 = 0 THEN '{"code":500,"message":"generation failed"}' END,
                t, t, t
            FROM gen;
            INSERT INTO subscribers (subscriber_id, request_id, correlation_id, partner_id, metadata_json, created_at)
            SELECT 's-hist-' || g, 'hist-' || g, 'order-' || g, 'prt_bench_' || p, '{"tenant":"t-' || p || '"}', t - 9000 FROM gen;
            INSERT INTO outbox (message_id, request_id, subscriber_id, message_type, created_at, next_attempt_at, attempts, sent_at)
            SELECT md5('hist-' || g)::uuid::text, 'hist-' || g, 's-hist-' || g,
                CASE WHEN g % 20 = 0 THEN 'RequestFailed' ELSE 'RequestCompleted' END, t, t, 1, t + 20
            FROM gen;
            INSERT INTO webhook_deliveries (delivery_id, endpoint_id, partner_id, url, destination, request_id, subscriber_id, event_type, payload,
                state, attempts, created_at, delivered_at, last_status)
            SELECT 'dlv-hist-' || g, 'ep_bench_' || p, 'prt_bench_' || p, 'https://partner-' || p || '.example.com/hooks', 'endpoint:ep_bench_' || p,
                'hist-' || g, 's-hist-' || g, 'request.completed',
                '{"type":"request.completed","timestamp":' || t || ',"data":{"request_id":"hist-' || g || '","correlation_id":"order-' || g || '","result":{"urls":["https://cdn.example.com/results/' || md5(g::text) || '.png"]}}}',
                'Delivered', 1, t, t + 80, 200
            FROM gen;
            INSERT INTO webhook_attempts (attempt_id, delivery_id, attempt, attempted_at, status_code, latency_ms, response_body)
            SELECT 'att-hist-' || g, 'dlv-hist-' || g, 1, t + 80, 200, 35, '{"received":true}' FROM gen;
            """,
            new { From = from, To = to, Count = (long)count, Start = start.ToUnixTimeMilliseconds(), Period = (long)period.TotalMilliseconds, Partners },
            commandTimeout: 0));

    // A warm-up pass first (discarded): each measurement then reads from a warm cache, as a running bridge does.
    private static async Task<Measured> MeasureAsync(Stores stores, NpgsqlConnection connection, int samples, int due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await MeasureOnceAsync(stores, connection, samples, cancellationToken);
        return await MeasureOnceAsync(stores, connection, samples, cancellationToken);
    }

    private static async Task<Measured> MeasureOnceAsync(Stores stores, NpgsqlConnection connection, int samples, CancellationToken cancellationToken)
    {
        var budget = BudgetPolicy.FromRequestsPerMinute(1_000_000);
        var result = new Measured(new Latencies(), new Latencies(), new Latencies(), new Latencies());
        var filter = new DeliveryFilter(null, null, null, null, 50, null);
        for (var i = 0; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            await stores.Tracking.ClaimDueAsync("bench", Batch, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2), budget, cancellationToken);
            result.Claim.Record(clock.Elapsed.TotalMilliseconds);
        }

        // The other statements read without writing: more samples for steadier medians.
        for (var i = 0; i < samples * 5; i++)
        {
            var clock = Stopwatch.StartNew();
            await stores.Tracking.NextDueAsync(cancellationToken);
            result.NextDue.Record(clock.Elapsed.TotalMilliseconds);
            var partner = i % Partners;
            clock.Restart();
            await stores.Deliveries.ListDeliveriesAsync($"prt_bench_{partner}", $"ep_bench_{partner}", filter, cancellationToken);
            result.ApiList.Record(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await stores.Tracking.ListForPartnerAsync($"prt_bench_{partner}", 50, cancellationToken);
            result.PortalList.Record(clock.Elapsed.TotalMilliseconds);
        }

        // The claimed requests become due again for the next measurement.
        await connection.ExecuteAsync(
            "UPDATE tracked_requests SET lease_owner = NULL, lease_until = NULL WHERE state = 'Tracking' AND lease_owner IS NOT NULL");
        await connection.ExecuteAsync("UPDATE upstream_budget SET tokens = 1000000, paused_until = 0");
        return result;
    }

    private static async Task<SteadyResult> SteadyAsync(
        IDbConnectionFactory factory, Stores stores, string connectionString, double finishRate, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new RetentionOptions { Interval = TimeSpan.FromSeconds(5) };
        var loop = Loop(factory, options, TimeProvider.System);
        var purged = 0L;
        var purger = Task.Run(
            async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var wait = await loop.RunOnceAsync(stop.Token);
                await Task.Delay(wait, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        },
            CancellationToken.None);

        var claim = new Latencies();
        var budget = BudgetPolicy.FromRequestsPerMinute(1_000_000);
        var scheduler = Task.Run(
            async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var clock = Stopwatch.StartNew();
                await stores.Tracking.ClaimDueAsync("bench-steady", Batch, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2), budget, stop.Token);
                claim.Record(clock.Elapsed.TotalMilliseconds);
                await Task.Delay(100, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        },
            CancellationToken.None);

        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync(cancellationToken);
        var started = Stopwatch.StartNew();
        var written = 0;
        var first = 1_000_000_000;
        while (started.Elapsed < duration)
        {
            var target = (int)(started.Elapsed.TotalSeconds * finishRate);
            if (target > written)
            {
                var end = DateTimeOffset.UtcNow - Retention - TimeSpan.FromSeconds(1);
                await GenerateHistoryAsync(writer, first + written + 1, first + target, 1, end.AddMilliseconds(-(first + target)), TimeSpan.FromMilliseconds(1));
                written = target;
            }

            await Task.Delay(50, cancellationToken);
        }

        var elapsed = started.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(purger.ContinueWith(_ => { }, TaskScheduler.Default), scheduler.ContinueWith(_ => { }, TaskScheduler.Default));
        var horizon = (DateTimeOffset.UtcNow - Retention).ToUnixTimeMilliseconds();
        var left = await writer.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM tracked_requests WHERE state <> 'Tracking' AND updated_at < @Horizon", new { Horizon = horizon });
        purged = written - left;
        return new SteadyResult(written / elapsed.TotalSeconds, purged / elapsed.TotalSeconds, left, claim);
    }

    private static async Task<long> DatabaseBytesAsync(NpgsqlConnection connection) =>
        await connection.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");

    private static string Mb(long bytes) => $"{bytes / 1048576.0:0} MB";

    private static void Row(Table table, string name, Latencies without, Latencies with, Latencies after) =>
        table.Add(
            name,
            Latencies.Ms(without.Percentile(50)),
            Latencies.Ms(with.Percentile(50)),
            (with.Percentile(50) / without.Percentile(50)).ToString("0.00", CultureInfo.InvariantCulture),
            Latencies.Ms(after.Percentile(50)));

    private sealed record Measured(Latencies Claim, Latencies NextDue, Latencies ApiList, Latencies PortalList);

    private sealed record SteadyResult(double FinishedPerSecond, double PurgedPerSecond, long EligibleAtEnd, Latencies Claim);

    private sealed class Stores(IDbConnectionFactory factory)
    {
        private static readonly RequestChangeNotifier Changes =
            new([], new ReplicaIdentity(Options.Create(new PollingOptions())), NullLogger<RequestChangeNotifier>.Instance);

        public TrackingStore Tracking { get; } = new(factory, new OutcomeNotificationWriter(
            new OutboxStore(factory), new DeliveryStore(factory), new EndpointStore(factory, Options.Create(new WebhookOptions())),
            new PartnerStore(factory, Options.Create(new WebhookOptions())), new OutcomeSignal([], NullLogger<OutcomeSignal>.Instance), Changes),
            Changes);

        public DeliveryStore Deliveries { get; } = new(factory);
    }

    /// <summary>The system clock moved by a fixed offset: "one retention period later".</summary>
    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }

    private sealed class FixedMonitor(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;

        public RetentionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}
