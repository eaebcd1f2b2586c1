using System.Diagnostics;
using System.Globalization;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Tracking;
using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>Many tracked requests in PostgreSQL (bulk-loaded with binary COPY): how long a claim takes, what the
/// idle scheduler costs, and the service's peak memory, at each size.</summary>
internal sealed class ScaleScenario : IScenario
{
    private const int Batch = 32;

    public async Task RunAsync(ScenarioOptions options, Report report, Progress progress, CancellationToken cancellationToken)
    {
        var parts = options.Text("parts", "sizes,history").Split(',', StringSplitOptions.TrimEntries);
        var sizes = parts.Contains("sizes") ? options.Integers("sizes", "10000,100000,1000000", "2000") : [];
        var claims = options.Integer("claims", 30, 5);
        var idle = TimeSpan.FromSeconds(options.Number("idle-seconds", 20, 2));
        var burst = options.Integer("burst", 2000, 100);
        report.Parameters["sizes"] = string.Join(", ", sizes);
        report.Parameters["claim batch"] = Batch.ToString(CultureInfo.InvariantCulture);
        report.Parameters["idle window"] = $"{idle.TotalSeconds} s";
        report.Parameters["burst"] = $"{burst} requests made due at once";

        await using var simulator = await SimulatorHost.StartAsync(ct: cancellationToken);
        var table = sizes.Count == 0 ? null : report.AddTable(
            "Claiming, idling and memory with N tracked requests (PostgreSQL)",
            "tracked", "load (COPY)", "table size", "claim p50 ms", "claim p95 ms", "next-due ms", "expire ms",
            "idle CPU ms/s", "idle DB xact/s", "burst polls/s", "RSS idle MB", "peak RSS MB");
        var claimSeries = new List<(double, double)>();
        foreach (var size in sizes)
        {
            var row = await RunSizeAsync(simulator, size, claims, idle, Math.Min(burst, size / 2), progress, cancellationToken);
            table!.Add(
                size.ToString("N0", CultureInfo.InvariantCulture),
                $"{row.Load.TotalSeconds:0.0} s",
                $"{row.TableBytes / 1048576.0:0} MB",
                Latencies.Ms(row.Claim.Percentile(50)),
                Latencies.Ms(row.Claim.Percentile(95)),
                Latencies.Ms(row.NextDue.Percentile(50)),
                Latencies.Ms(row.Expire.Percentile(50)),
                row.IdleCpuMsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                row.IdleTransactionsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                row.BurstPollsPerSecond.ToString("0", CultureInfo.InvariantCulture),
                (row.IdleRss / 1048576.0).ToString("0", CultureInfo.InvariantCulture),
                (row.PeakRss / 1048576.0).ToString("0", CultureInfo.InvariantCulture));
            report.Data[size.ToString(CultureInfo.InvariantCulture)] = new System.Text.Json.Nodes.JsonObject
            {
                ["load_seconds"] = row.Load.TotalSeconds,
                ["table_bytes"] = row.TableBytes,
                ["claim_p50_ms"] = row.Claim.Percentile(50),
                ["claim_p95_ms"] = row.Claim.Percentile(95),
                ["next_due_p50_ms"] = row.NextDue.Percentile(50),
                ["expire_p50_ms"] = row.Expire.Percentile(50),
                ["idle_cpu_ms_per_s"] = row.IdleCpuMsPerSecond,
                ["idle_db_transactions_per_s"] = row.IdleTransactionsPerSecond,
                ["burst_polls_per_s"] = row.BurstPollsPerSecond,
                ["idle_rss_bytes"] = row.IdleRss,
                ["peak_rss_bytes"] = row.PeakRss,
            };
            claimSeries.Add((size, row.Claim.Percentile(50)));
        }

        if (sizes.Count > 0)
        {
            report.Plots.Add(("claim-ms", "Claim time by table size", SvgChart.Bars(
            "Time to claim a batch of 32 (p50, ms)", "tracked requests", "ms",
            [.. sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture))], [("claim p50", [.. claimSeries.Select(c => c.Item2)])])));
        }

        report.Notes.Add($"Every row is a request still tracking; 1% of a size (at most {claims * Batch}) is due when the claims run, the rest is due within the next hour. Claims, next-due and expire are the scheduler's three statements, timed from this process against the same database.");
        report.Notes.Add("Idle: the bridge runs in a process of its own (this program started again), nothing is due; CPU is that process's CPU time per wall second, 'DB xact/s' the database's committed transactions per second (pg_stat_database), i.e. the scheduler's and outbox's wake-ups.");
        if (parts.Contains("history"))
        {
            await ScaleHistory.RunAsync(simulator, options, report, progress, cancellationToken);
        }

        report.Notes.Add("Burst: that many requests become due at once (simulator answers IN_PROGRESS, no budget); polls/s is from the moment they are made due until the last was polled, including the up-to-2 s idle sleep before the scheduler looks. Peak RSS (VmHWM) covers start, idle and burst.");
    }

    private static async Task<SizeResult> RunSizeAsync(SimulatorHost simulator, int size, int claims, TimeSpan idle, int burst, Progress progress, CancellationToken cancellationToken)
    {
        var connectionString = await BenchServers.CreateDatabaseAsync("statusbridge_bench_scale", cancellationToken);
        try
        {
            var persistence = Options.Create(new PersistenceOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString });
            await using var factory = new DbConnectionFactory(persistence);
            await new MigrationRunner(factory, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(cancellationToken);

            var now = DateTimeOffset.UtcNow;
            var due = Math.Min(Math.Max(size / 100, 1), claims * Batch);
            progress.Phase($"{size:N0}: loading with COPY");
            var loadClock = Stopwatch.StartNew();
            await LoadAsync(connectionString, size, due, now, progress, cancellationToken);
            var load = loadClock.Elapsed;
            long tableBytes;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await connection.ExecuteAsync("ANALYZE tracked_requests");
                tableBytes = await connection.ExecuteScalarAsync<long>("SELECT pg_total_relation_size('tracked_requests')");
            }

            progress.Phase($"{size:N0}: loaded in {load.TotalSeconds:0.0} s; claiming");
            var changes = new RequestChangeNotifier([], new ReplicaIdentity(Options.Create(new PollingOptions())), NullLogger<RequestChangeNotifier>.Instance);
            var store = new TrackingStore(
                factory,
                new OutcomeNotificationWriter(
                    new OutboxStore(factory), new DeliveryStore(factory), new EndpointStore(factory, Options.Create(new WebhookOptions())), new PartnerStore(factory, Options.Create(new WebhookOptions())),
                    new OutcomeSignal([], NullLogger<OutcomeSignal>.Instance), changes),
                changes);
            var budget = BudgetPolicy.FromRequestsPerMinute(1_000_000);
            var (claim, nextDue, expire) = (new Latencies(), new Latencies(), new Latencies());
            for (var i = 0; i < claims; i++)
            {
                var at = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                await store.ClaimDueAsync("bench", Batch, at, TimeSpan.FromMinutes(2), budget, takeEarly: false, cancellationToken);
                claim.Record(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                await store.NextDueAsync(cancellationToken);
                nextDue.Record(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                await store.ExpireOverdueAsync(at, 500, cancellationToken);
                expire.Record(clock.Elapsed.TotalMilliseconds);
            }

            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await connection.ExecuteAsync(
                    "UPDATE tracked_requests SET lease_owner = NULL, lease_until = NULL, next_poll_at = @Later WHERE next_poll_at <= @Now",
                    new { Later = (now + TimeSpan.FromHours(2)).ToUnixTimeMilliseconds(), Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            }

            return await MeasureServiceAsync(simulator, connectionString, size, idle, burst, progress, new SizeResult(load, tableBytes, claim, nextDue, expire), cancellationToken);
        }
        finally
        {
            await BenchServers.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<SizeResult> MeasureServiceAsync(SimulatorHost simulator, string connectionString, int size, TimeSpan idle, int burst, Progress progress, SizeResult result, CancellationToken cancellationToken)
    {
        var settings = BridgeLauncher.Base(simulator.BaseUrl, simulator.ApiToken, "Postgres", connectionString);
        settings["Polling:RequestsPerMinute"] = "1000000";
        progress.Phase($"{size:N0}: bridge process idle for {idle.TotalSeconds} s");
        await using var bridge = await ChildBridge.StartAsync(settings, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        const string Transactions = "SELECT xact_commit FROM pg_stat_database WHERE datname = @Database";
        var xact0 = await connection.ExecuteScalarAsync<long>(Transactions, new { Database = database });
        var cpu0 = bridge.CpuTime;
        await Task.Delay(idle, cancellationToken);
        var cpu = bridge.CpuTime - cpu0;
        // Statistics reach pg_stat_database with a delay; this connection's own two reads are subtracted.
        await connection.ExecuteAsync("SELECT pg_stat_clear_snapshot()");
        var xact = await connection.ExecuteScalarAsync<long>(Transactions, new { Database = database }) - xact0 - 1;
        var idleRss = bridge.MemoryBytes;

        progress.Phase($"{size:N0}: burst of {burst} due requests");
        var ids = Enumerable.Range(0, burst).Select(i => $"scale-{size - 1 - i:D8}").ToArray();
        foreach (var id in ids)
        {
            simulator.State.CreateJob(new JobSpec { RequestId = id, EndpointKind = JobKind.Image, DurationMs = (long)TimeSpan.FromHours(1).TotalMilliseconds, Outcome = JobOutcome.Completed });
        }

        simulator.State.ResetStats();
        var clock = Stopwatch.StartNew();
        await connection.ExecuteAsync("UPDATE tracked_requests SET next_poll_at = @Now WHERE request_id = ANY(@Ids)", new { Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Ids = ids });
        while (simulator.State.GetStats().TotalStatusCalls < burst && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20, cancellationToken);
        }

        var burstRate = Math.Min(burst, simulator.State.GetStats().TotalStatusCalls) / clock.Elapsed.TotalSeconds;
        simulator.State.ClearJobs();
        simulator.State.ResetStats();
        return result with
        {
            IdleCpuMsPerSecond = cpu.TotalMilliseconds / idle.TotalSeconds,
            IdleTransactionsPerSecond = xact / idle.TotalSeconds,
            IdleRss = idleRss,
            PeakRss = bridge.PeakMemoryBytes,
            BurstPollsPerSecond = burstRate,
        };
    }

    private static async Task LoadAsync(string connectionString, int size, int due, DateTimeOffset now, Progress progress, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        var hour = (long)TimeSpan.FromHours(1).TotalMilliseconds;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY tracked_requests (request_id, endpoint_kind, state, created_at, updated_at, deadline, next_poll_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        for (var i = 0; i < size; i++)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync($"scale-{i:D8}", NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync("Image", NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync("Tracking", NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(at, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(at, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(at + (24 * hour), NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(i < due ? at - 1000 + i : at + hour + (i % hour), NpgsqlDbType.Bigint, cancellationToken);
            if (i % 100_000 == 0)
            {
                progress.Tick(() => $"{size:N0}: {i:N0} rows copied");
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private sealed record SizeResult(TimeSpan Load, long TableBytes, Latencies Claim, Latencies NextDue, Latencies Expire)
    {
        public double IdleCpuMsPerSecond { get; init; }

        public double IdleTransactionsPerSecond { get; init; }

        public double BurstPollsPerSecond { get; init; }

        public long IdleRss { get; init; }

        public long PeakRss { get; init; }
    }
}
