using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Retention;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using JsonObject = System.Text.Json.Nodes.JsonObject;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The scale scenario's history part: N finished requests (each with a subscriber, a sent outbox row, a
/// delivered webhook message and its attempt, generated with set-based SQL) beside M tracking ones in PostgreSQL. It
/// times the scheduler's statements and the list queries without and with the history, purges one retention period
/// of it, and runs the bridge (polling, with its own purge loop) beside a steady stream of finished requests.</summary>
internal static class ScaleHistory
{
    private const int Batch = 32;
    private const int WarmUpRounds = 5;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public static async Task RunAsync(SimulatorHost simulator, ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var history = options.Integer("history", 10_000_000, 2_000);
        var tracking = options.Integer("history-tracking", 100_000, 1_000);
        var recent = options.Integer("recent", 100_000, 1_000);
        var rounds = options.Integer("rounds", 200, 4);
        var claims = options.Integer("batch-claims", 1, 1);
        var reads = options.Integer("batch-reads", 5, 3);
        var steady = new SteadyPlan(
            options.Number("finish-rate", 20, 20),
            TimeSpan.FromSeconds(options.Number("steady-seconds", 120, 3)),
            options.Integer("steady-busy", 5_000, 200),
            options.Integer("steady-polls-per-minute", 6_000, 6_000));
        report.Parameters["history"] = $"{history:N0} finished requests (each: 1 subscriber, 1 sent outbox row, 1 delivered webhook message, 1 attempt) beside {tracking:N0} tracking and {recent:N0} finished in the last hour";
        report.Parameters["sampling"] = $"{rounds} rounds, each {claims} claim(s) and {reads} of each read per database, the databases alternating";
        report.Parameters["steady phase"] = $"{steady.Duration.TotalSeconds} s at {steady.FinishRate} finished requests/s while the bridge polls {steady.Busy:N0} requests at {steady.PollsPerMinute:N0} calls/min";
        report.Parameters["load average at start"] = LoadAverage();

        var liveConnection = await BenchServers.CreateDatabaseAsync("statusbridge_bench_live", cancellationToken);
        var historyConnection = await BenchServers.CreateDatabaseAsync("statusbridge_bench_history", cancellationToken);
        try
        {
            await using var live = new ScaleHistoryProbe(liveConnection);
            await using var withHistory = new ScaleHistoryProbe(historyConnection);
            var now = DateTimeOffset.UtcNow;
            var due = Math.Max(tracking / 100, 1);
            progress.Phase($"history: two databases with {tracking:N0} tracking requests, {recent:N0} recent finished ones and {ScaleHistoryData.Partners} partners");
            foreach (var probe in new[] { live, withHistory })
            {
                await new MigrationRunner(probe.Factory, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(cancellationToken);
                await using var connection = await OpenAsync(probe, cancellationToken);
                await ScaleHistoryData.SeedLiveAsync(connection, tracking, due, recent, now);
            }

            progress.Phase($"history: loading {history:N0} finished requests into one of them (set-based SQL, keys and indexes built afterwards)");
            (TimeSpan Generate, TimeSpan Index) load;
            await using (var connection = await OpenAsync(withHistory, cancellationToken))
            {
                load = await ScaleHistoryData.LoadHistoryAsync(connection, history, now, Retention - ScaleHistoryData.RecentWindow, progress, cancellationToken);
            }

            progress.Phase("history: VACUUM ANALYZE both databases");
            await VacuumAnalyzeAsync(live, cancellationToken);
            await VacuumAnalyzeAsync(withHistory, cancellationToken);
            var sizeLive = await live.DatabaseBytesAsync(cancellationToken);
            var sizeBefore = await withHistory.DatabaseBytesAsync(cancellationToken);
            var plansLive = await live.ExplainAsync(cancellationToken);
            var plansHistory = await withHistory.ExplainAsync(cancellationToken);

            progress.Phase("history: timing the statements, alternating between the databases");
            var (without, with) = await InterleaveAsync(live, withHistory, rounds, claims, reads, cancellationToken);

            // One retention period later every row of history is past its horizon and the last hour's requests are not.
            progress.Phase("history: purging one retention period of history");
            var later = new FixedTime(now + Retention - ScaleHistoryData.RecentWindow);
            var bulk = new RetentionOptions { BatchSize = 5_000, BatchPause = TimeSpan.Zero };
            var bulkLoop = Loop(withHistory, bulk, later);
            var clock = Stopwatch.StartNew();
            var steps = 0;
            while (await bulkLoop.RunOnceAsync(cancellationToken) < bulk.Interval * 0.8)
            {
                if (++steps % 100 == 0)
                {
                    progress.Phase($"history: purging, {steps * bulk.BatchSize:N0} requests purged ({clock.Elapsed.TotalSeconds:0} s)");
                }
            }

            var purgeTime = clock.Elapsed;
            var sizeAfterPurge = await withHistory.DatabaseBytesAsync(cancellationToken);
            progress.Phase("history: VACUUM after the purge");
            await VacuumAnalyzeAsync(withHistory, cancellationToken);
            var sizeAfterVacuum = await withHistory.DatabaseBytesAsync(cancellationToken);
            progress.Phase("history: timing the statements again after the purge");
            var (withoutAgain, afterPurge) = await InterleaveAsync(live, withHistory, rounds, claims, reads, cancellationToken);
            var plansAfterPurge = await withHistory.ExplainAsync(cancellationToken);

            progress.Phase($"history: steady {steady.FinishRate}/s finished requests for {steady.Duration.TotalSeconds} s while the bridge polls and purges");
            var steadyResult = await SteadyAsync(simulator, historyConnection, steady, cancellationToken);
            var sizeAfterSteady = await withHistory.DatabaseBytesAsync(cancellationToken);
            report.Parameters["load average at end"] = LoadAverage();

            var table = report.AddTable(
                $"The scheduler and the lists beside {history:N0} finished requests of history ({tracking:N0} tracking, PostgreSQL; ms, the two databases sampled alternately)",
                "statement", "without p50", "with p50", "p50 ratio", "without p95", "with p95", "p95 ratio", "after the purge: p50 / p95 ratio", "buffers without / with / after the purge");
            var figures = new JsonObject
            {
                ["history_requests"] = history,
                ["tracking_requests"] = tracking,
                ["recent_requests"] = recent,
                ["generate_seconds"] = load.Generate.TotalSeconds,
                ["index_seconds"] = load.Index.TotalSeconds,
                ["table_bytes"] = sizeBefore,
                ["database_bytes_live"] = sizeLive,
                ["database_bytes_before"] = sizeBefore,
                ["database_bytes_after_purge"] = sizeAfterPurge,
                ["database_bytes_after_vacuum"] = sizeAfterVacuum,
                ["database_bytes_after_steady"] = sizeAfterSteady,
                ["purge_seconds"] = purgeTime.TotalSeconds,
                ["steady_finished_per_s"] = steadyResult.FinishedPerSecond,
                ["steady_purged_per_s"] = steadyResult.PurgedPerSecond,
                ["steady_eligible_at_end"] = steadyResult.EligibleAtEnd,
                ["steady_polls_per_s"] = steadyResult.PollsPerSecond,
            };
            var rows = without.All.Zip(with.All, withoutAgain.All).Zip(afterPurge.All, (t, d) => (t.First, t.Second, t.Third, d)).ToList();
            foreach (var ((key, name, a), (_, _, b), (_, _, a2), (_, _, b2)) in rows)
            {
                table.Add(
                    name,
                    Latencies.Ms(a.Percentile(50)),
                    Latencies.Ms(b.Percentile(50)),
                    Ratio(b, a, 50),
                    Latencies.Ms(a.Percentile(95)),
                    Latencies.Ms(b.Percentile(95)),
                    Ratio(b, a, 95),
                    $"{Ratio(b2, a2, 50)} / {Ratio(b2, a2, 95)}",
                    $"{plansLive[key]!["buffers"]} / {plansHistory[key]!["buffers"]} / {plansAfterPurge[key]!["buffers"]}");
                figures[$"{key}_p50_ratio"] = b.Percentile(50) / a.Percentile(50);
                figures[$"{key}_p95_ratio"] = b.Percentile(95) / a.Percentile(95);
                figures[$"{key}_after_purge_p50_ratio"] = b2.Percentile(50) / a2.Percentile(50);
                figures[$"{key}_after_purge_p95_ratio"] = b2.Percentile(95) / a2.Percentile(95);
                figures[$"{key}_without_p50_ms"] = a.Percentile(50);
                figures[$"{key}_with_p50_ms"] = b.Percentile(50);
                figures[$"{key}_samples"] = b.Count;
            }

            var purge = report.AddTable(
                "Loading and purging the history",
                "history loaded", "database with history", "without history", "purge of one retention period", "requests purged/s", "database after the purge", "after VACUUM",
                "steady: finished/s", "steady: purged/s", "steady: eligible left at end", "steady: bridge polls/s", "steady: bridge CPU ms/s", "database after steady");
            purge.Add(
                $"{history:N0} in {(load.Generate + load.Index).TotalSeconds:0} s ({load.Generate.TotalSeconds:0} s rows, {load.Index.TotalSeconds:0} s keys and indexes)",
                Mb(sizeBefore),
                Mb(sizeLive),
                $"{purgeTime.TotalSeconds:0.0} s",
                (history / purgeTime.TotalSeconds).ToString("0", CultureInfo.InvariantCulture),
                Mb(sizeAfterPurge),
                Mb(sizeAfterVacuum),
                steadyResult.FinishedPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                steadyResult.PurgedPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                steadyResult.EligibleAtEnd.ToString(CultureInfo.InvariantCulture),
                steadyResult.PollsPerSecond.ToString("0", CultureInfo.InvariantCulture),
                steadyResult.BridgeCpuMsPerSecond.ToString("0", CultureInfo.InvariantCulture),
                Mb(sizeAfterSteady));

            report.Data["history"] = figures;
            report.Data["history_plans"] = new JsonObject { ["without"] = plansLive, ["with"] = plansHistory, ["after_purge"] = plansAfterPurge };
            report.Notes.Add($"History: two databases with the same live set ({tracking:N0} tracking requests, {recent:N0} requests finished in the last hour with their subscriber, outbox row, delivery and attempt, {ScaleHistoryData.Partners} partners with one endpoint each); one also holds {history:N0} older finished requests, their end times spread over the {Retention.TotalDays} days before that hour. The history is written in chunks of 1,000,000 with INSERT … SELECT FROM generate_series with the five tables' keys, foreign keys and secondary indexes dropped, which are then built again from their own definitions; then VACUUM ANALYZE on both.");
            report.Notes.Add($"Timing: after {WarmUpRounds} discarded warm-up rounds, {rounds} rounds alternate between the two databases (which goes first alternates too), so the machine's load falls on both alike; in each round each database gets {claims} claim(s) of 32 (the claimed requests released afterwards, untimed) and {reads} of each read over the partners in turn. 'API list' is DeliveryStore.ListDeliveriesAsync behind GET /v1/webhook-endpoints/{{id}}/deliveries, 'portal list' TrackingStore.ListForPartnerAsync behind /portal/requests. 'buffers' are the shared pages (hit + read) the statement's plan touched in EXPLAIN (ANALYZE, BUFFERS); the plans are in the JSON report (history_plans).");
            report.Notes.Add("Purge of one retention period: the purge loop with a clock one retention period after the history's newest row, batches of 5,000, no pause, until caught up; 'requests purged/s' counts finished requests, each taking its subscriber, outbox row, delivery and attempt with it (5 rows). PostgreSQL keeps the freed pages for reuse (the files do not shrink; VACUUM FULL would, with a lock), so 'database after' shows that the space is reusable rather than returned. 'after the purge' times both databases again, alternating, once the history is gone.");
            report.Notes.Add($"Steady: the bridge runs in a process of its own on the history database (the in-memory bus, the simulator as Bria) with its own purge loop at the default settings (batches of 500, 100 ms pause) except a {PurgeInterval.TotalSeconds:0} s interval; {steady.Busy:N0} of the tracking requests are made due and stay IN_PROGRESS, so the bridge polls all the time at its budget of {steady.PollsPerMinute:N0} calls/min, rescheduling each row it polls; meanwhile this process ends requests at the given rate with an end time one retention period ago (each eligible at once: the worst case of a period's arrivals). 'eligible left at end' counts finished requests past the horizon still in the table when the phase stops (at most one interval's arrivals when the purge keeps up); polls/s is counted by the simulator and CPU is the bridge process's.");
        }
        finally
        {
            await BenchServers.DropDatabaseAsync(liveConnection);
            await BenchServers.DropDatabaseAsync(historyConnection);
        }
    }

    private static PurgeLoop Loop(ScaleHistoryProbe probe, RetentionOptions options, TimeProvider time)
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new PurgeLoop(
            [probe.Tracking, new OutboxStore(probe.Factory), probe.Deliveries],
            new StorageSpace(probe.Factory),
            new RetentionMetrics(meters, time),
            new FixedMonitor(options),
            time,
            NullLogger<PurgeLoop>.Instance);
    }

    private static async Task<(HistoryLatencies Without, HistoryLatencies With)> InterleaveAsync(
        ScaleHistoryProbe without, ScaleHistoryProbe with, int rounds, int claims, int reads, CancellationToken cancellationToken)
    {
        // Warm-up rounds on each, discarded: each measurement then reads from a warm cache, as a running bridge does.
        for (var round = 0; round < WarmUpRounds; round++)
        {
            await without.SampleAsync(new HistoryLatencies(), claims, reads, round * reads, cancellationToken);
            await with.SampleAsync(new HistoryLatencies(), claims, reads, round * reads, cancellationToken);
        }

        var (a, b) = (new HistoryLatencies(), new HistoryLatencies());
        for (var round = 0; round < rounds; round++)
        {
            var partners = round * reads;
            if (round % 2 == 0)
            {
                await without.SampleAsync(a, claims, reads, partners, cancellationToken);
                await with.SampleAsync(b, claims, reads, partners, cancellationToken);
            }
            else
            {
                await with.SampleAsync(b, claims, reads, partners, cancellationToken);
                await without.SampleAsync(a, claims, reads, partners, cancellationToken);
            }
        }

        return (a, b);
    }

    // The bridge in its own process on the history database, polling its share of the tracking requests (which the
    // simulator keeps IN_PROGRESS) at its budget, with its own purge loop (defaults but the interval), while this
    // process ends requests at the given rate with an end time one retention period ago.
    private static async Task<SteadyResult> SteadyAsync(
        SimulatorHost simulator, string connectionString, SteadyPlan plan, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(1, plan.Busy).Select(ScaleHistoryData.TrackingId).ToArray();
        foreach (var id in ids)
        {
            simulator.State.CreateJob(new JobSpec { RequestId = id, EndpointKind = JobKind.Image, DurationMs = (long)TimeSpan.FromHours(2).TotalMilliseconds, Outcome = JobOutcome.Completed });
        }

        var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, "Postgres", connectionString);
        settings["Polling:RequestsPerMinute"] = plan.PollsPerMinute.ToString(CultureInfo.InvariantCulture);
        settings["Retention:Interval"] = BridgeLauncher.Span(PurgeInterval);
        await using var bridge = await ChildBridge.StartAsync(settings, cancellationToken);
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync(cancellationToken);
        await writer.ExecuteAsync(
            "UPDATE tracked_requests SET next_poll_at = @Now, lease_owner = NULL, lease_until = NULL WHERE request_id = ANY(@Ids)",
            new { Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Ids = ids });
        simulator.State.ResetStats();
        var cpu0 = bridge.CpuTime;
        var started = Stopwatch.StartNew();
        var written = 0L;
        const long First = 3_000_000_000;
        while (started.Elapsed < plan.Duration)
        {
            var target = (long)(started.Elapsed.TotalSeconds * plan.FinishRate);
            if (target > written)
            {
                // The new requests end within the second before one retention period ago: eligible at once.
                var end = DateTimeOffset.UtcNow - Retention - TimeSpan.FromSeconds(1);
                await ScaleHistoryData.GenerateAsync(writer, First + written + 1, First + target, First + written, target - written, end - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
                written = target;
            }

            await Task.Delay(50, cancellationToken);
        }

        var elapsed = started.Elapsed;
        var polls = simulator.State.GetStats().TotalStatusCalls;
        var cpu = bridge.CpuTime - cpu0;
        var horizon = (DateTimeOffset.UtcNow - Retention).ToUnixTimeMilliseconds();
        var left = await writer.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM tracked_requests WHERE state <> 'Tracking' AND updated_at < @Horizon", new { Horizon = horizon });
        simulator.State.ClearJobs();
        simulator.State.ResetStats();
        return new SteadyResult(written / elapsed.TotalSeconds, (written - left) / elapsed.TotalSeconds, left, polls / elapsed.TotalSeconds, cpu.TotalMilliseconds / elapsed.TotalSeconds);
    }

    private static async Task<NpgsqlConnection> OpenAsync(ScaleHistoryProbe probe, CancellationToken cancellationToken) =>
        (NpgsqlConnection)await probe.Factory.OpenAsync(cancellationToken);

    private static async Task VacuumAnalyzeAsync(ScaleHistoryProbe probe, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(probe, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("VACUUM ANALYZE", commandTimeout: 0, cancellationToken: cancellationToken));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "-";

    private static string Mb(long bytes) => $"{bytes / 1048576.0:0} MB";

    private static string Ratio(Latencies with, Latencies without, double percentile) =>
        (with.Percentile(percentile) / without.Percentile(percentile)).ToString("0.00", CultureInfo.InvariantCulture);

    private sealed record SteadyResult(double FinishedPerSecond, double PurgedPerSecond, long EligibleAtEnd, double PollsPerSecond, double BridgeCpuMsPerSecond);

    private sealed record SteadyPlan(double FinishRate, TimeSpan Duration, int Busy, int PollsPerMinute);

    /// <summary>A clock that stands still: the purge's horizon stays where the benchmark put it however long it runs.</summary>
    private sealed class FixedTime(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }

    private sealed class FixedMonitor(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;

        public RetentionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}
