using System.Diagnostics;
using Bria.StatusBridge.Benchmarks.Infrastructure;
using Dapper;
using Npgsql;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>The rows of the history benchmark, written with set-based SQL: the live set (tracking requests, partners,
/// endpoints and the last hour's finished requests) that both databases hold, and the history that only one holds,
/// loaded with the tables' keys and secondary indexes dropped and built again afterwards.</summary>
internal static class ScaleHistoryData
{
    public const int Partners = 100;

    /// <summary>Finished requests in the live set end within this window before "now"; history ends before it.</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(1);

    private const int GenerateChunk = 1_000_000;

    // The recent requests' numbers start here (history counts from 1, the steady phase from 3,000,000,000).
    private const long RecentOffset = 2_000_000_000;

    private static readonly string[] HistoryTables = ["tracked_requests", "subscribers", "outbox", "webhook_deliveries", "webhook_attempts"];

    /// <summary>The id of tracking request g (1-based), as <see cref="SeedLiveAsync"/> writes it.</summary>
    public static string TrackingId(int g) => $"track-{g:D8}";

    /// <summary>Tracking requests (1% due now, the rest within the next hour), partners with an endpoint each, and
    /// <paramref name="recent"/> finished requests spread over the last hour: what a running bridge reads.</summary>
    public static async Task SeedLiveAsync(NpgsqlConnection connection, int tracking, int due, int recent, DateTimeOffset now)
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
        if (recent > 0)
        {
            await GenerateAsync(connection, RecentOffset + 1, RecentOffset + recent, RecentOffset, recent, now - RecentWindow, RecentWindow);
        }
    }

    /// <summary>Finished requests 1..count, their end times spread evenly over the period before the recent window.
    /// Returns the time spent generating rows and the time spent building the keys and indexes again.</summary>
    public static async Task<(TimeSpan Generate, TimeSpan Index)> LoadHistoryAsync(
        NpgsqlConnection connection, long count, DateTimeOffset now, TimeSpan period, Progress progress, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET max_parallel_maintenance_workers = 2");
        var schema = await DropKeysAndIndexesAsync(connection);
        var clock = Stopwatch.StartNew();
        var start = now - RecentWindow - period;
        for (var from = 1L; from <= count; from += GenerateChunk)
        {
            var to = Math.Min(count, from + GenerateChunk - 1);
            await GenerateAsync(connection, from, to, 0, count + 1, start, period);
            progress.Phase($"history: {to:N0} of {count:N0} generated ({clock.Elapsed.TotalSeconds:0} s)");
        }

        var generate = clock.Elapsed;
        clock.Restart();
        foreach (var statement in schema)
        {
            progress.Phase($"history: {statement.Split(" ON ", 2)[0].Split(" ADD ", 2)[0]} ({clock.Elapsed.TotalSeconds:0} s)");
            await connection.ExecuteAsync(new CommandDefinition(statement, commandTimeout: 0, cancellationToken: cancellationToken));
        }

        return (generate, clock.Elapsed);
    }

    /// <summary>Finished requests from..to (each with a subscriber, a sent outbox row, a delivered webhook message and
    /// its attempt), request g ending at start + (g - offset) x period / count.</summary>
    public static Task<int> GenerateAsync(NpgsqlConnection connection, long from, long to, long offset, long count, DateTimeOffset start, TimeSpan period) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TEMP TABLE IF NOT EXISTS gen (g bigint, t bigint, p int);
            TRUNCATE gen;
            INSERT INTO gen SELECT g, @Start + ((g - @Offset) * @Period / @Count), g % @Partners FROM generate_series(@From, @To) AS g;
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
            new { From = from, To = to, Offset = offset, Count = count, Start = start.ToUnixTimeMilliseconds(), Period = (long)period.TotalMilliseconds, Partners },
            commandTimeout: 0));

    // Drops the history tables' foreign keys, keys and secondary indexes (as the migrations made them) and returns the
    // statements that build them again, keys first: one sorted build per index instead of 50 million index inserts.
    private static async Task<IReadOnlyList<string>> DropKeysAndIndexesAsync(NpgsqlConnection connection)
    {
        var tables = HistoryTables;
        var constraints = (await connection.QueryAsync<(string Table, string Name, string Type, string Definition)>(
            """
            SELECT conrelid::regclass::text, conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype IN ('p', 'u', 'f') AND (conrelid::regclass::text = ANY(@Tables) OR (contype = 'f' AND confrelid::regclass::text = ANY(@Tables)))
            """,
            new { Tables = tables })).ToList();
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(@Tables)
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass AND c.contype IN ('p', 'u'))
            """,
            new { Tables = tables })).ToList();

        var foreign = constraints.Where(c => c.Type == "f").ToList();
        var keys = constraints.Where(c => c.Type != "f").ToList();
        foreach (var (table, name, _, _) in foreign.Concat(keys))
        {
            await connection.ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT {name}");
        }

        foreach (var (name, _) in indexes)
        {
            await connection.ExecuteAsync($"DROP INDEX {name}");
        }

        return
        [
            .. keys.Select(c => $"ALTER TABLE {c.Table} ADD CONSTRAINT {c.Name} {c.Definition}"),
            .. indexes.Select(i => i.Definition),
            .. foreign.Select(c => $"ALTER TABLE {c.Table} ADD CONSTRAINT {c.Name} {c.Definition}"),
        ];
    }
}
