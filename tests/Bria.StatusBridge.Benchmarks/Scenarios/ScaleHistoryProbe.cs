using System.Diagnostics;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Webhooks;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bria.StatusBridge.Benchmarks.Scenarios;

/// <summary>One database of the history benchmark, seen through the stores the bridge uses: times the scheduler's claim
/// and next-due statements and the two list queries, and reads their plans with the buffers they touch.</summary>
internal sealed class ScaleHistoryProbe(string connectionString) : IAsyncDisposable
{
    private const int Batch = 32;

    // The statements of the stores (TrackingStore.ClaimDueAsync's UPDATE, NextDueAsync, ListForPartnerAsync,
    // DeliveryStore.ListDeliveriesAsync), for EXPLAIN (ANALYZE, BUFFERS, WAL): the same predicates and orders.
    private static readonly (string Name, string Sql)[] Explained =
    [
        ("claim",
            """
            UPDATE tracked_requests SET lease_owner = 'explain', lease_until = @Now + 120000
            WHERE request_id IN (
                SELECT request_id FROM tracked_requests
                WHERE state = 'Tracking' AND next_poll_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY next_poll_at LIMIT 32 FOR UPDATE SKIP LOCKED)
            RETURNING request_id, endpoint_kind, created_at, deadline, next_poll_at, polls
            """),
        ("next_due", "SELECT MIN(next_poll_at) FROM tracked_requests WHERE state = 'Tracking' AND lease_owner IS NULL"),
        ("api_list", "SELECT d.delivery_id, d.payload FROM webhook_deliveries d LEFT JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id WHERE d.endpoint_id = 'ep_bench_7' AND e.partner_id = 'prt_bench_7' ORDER BY d.created_at DESC, d.delivery_id DESC LIMIT 50"),
        ("portal_list",
            """
            SELECT r.request_id, s.created_at FROM subscribers s JOIN tracked_requests r ON r.request_id = s.request_id
            WHERE s.partner_id = 'prt_bench_7' AND NOT EXISTS (SELECT 1 FROM subscribers n WHERE n.partner_id = s.partner_id AND n.request_id = s.request_id
                AND (n.created_at > s.created_at OR (n.created_at = s.created_at AND n.subscriber_id > s.subscriber_id)))
            ORDER BY s.created_at DESC, s.request_id DESC LIMIT 50
            """),
    ];

    private readonly DbConnectionFactory _factory = new(Options.Create(new PersistenceOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString }));
    private readonly BudgetPolicy _budget = BudgetPolicy.FromRequestsPerMinute(1_000_000);
    private readonly DeliveryFilter _filter = new(null, null, null, null, 50, null);

    public IDbConnectionFactory Factory => _factory;

    private static readonly RequestChangeNotifier Changes =
        new([], new ReplicaIdentity(Options.Create(new PollingOptions())), NullLogger<RequestChangeNotifier>.Instance);

    public TrackingStore Tracking => field ??= new(_factory, new OutcomeNotificationWriter(
        new OutboxStore(_factory), new DeliveryStore(_factory), new EndpointStore(_factory, Options.Create(new WebhookOptions())),
        new PartnerStore(_factory, Options.Create(new WebhookOptions())), new OutcomeSignal([], NullLogger<OutcomeSignal>.Instance), Changes),
        Changes);

    public DeliveryStore Deliveries => field ??= new(_factory);

    /// <summary>Claims batches of 32 <paramref name="claims"/> times, then reads next-due and both lists
    /// <paramref name="reads"/> times each (over the partners in turn), into <paramref name="into"/>; the claimed
    /// requests are released afterwards, untimed, so that every batch finds the same due rows.</summary>
    public async Task SampleAsync(HistoryLatencies into, int claims, int reads, int partnerStart, CancellationToken cancellationToken)
    {
        for (var i = 0; i < claims; i++)
        {
            var clock = Stopwatch.StartNew();
            await Tracking.ClaimDueAsync("bench", Batch, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2), _budget, takeEarly: false, cancellationToken);
            into.Claim.Record(clock.Elapsed.TotalMilliseconds);
        }

        for (var i = 0; i < reads; i++)
        {
            var partner = (partnerStart + i) % ScaleHistoryData.Partners;
            var clock = Stopwatch.StartNew();
            await Tracking.NextDueAsync(cancellationToken);
            into.NextDue.Record(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await Deliveries.ListDeliveriesAsync($"prt_bench_{partner}", $"ep_bench_{partner}", _filter, cancellationToken);
            into.ApiList.Record(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await Tracking.ListForPartnerAsync($"prt_bench_{partner}", 50, cancellationToken);
            into.PortalList.Record(clock.Elapsed.TotalMilliseconds);
        }

        await ReleaseAsync(cancellationToken);
    }

    /// <summary>Each statement's plan (EXPLAIN ANALYZE, BUFFERS, WAL; each in a rolled-back transaction, so the
    /// claim's UPDATE leaves nothing behind), the shared buffers it touched and the WAL its top node wrote.</summary>
    public async Task<JsonObject> ExplainAsync(CancellationToken cancellationToken)
    {
        var plans = new JsonObject();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var (name, sql) in Explained)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var lines = await connection.QueryAsync<string>(
                $"EXPLAIN (ANALYZE, BUFFERS, WAL) {sql}", new { Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            await transaction.RollbackAsync(cancellationToken);
            var plan = string.Join('\n', lines);
            plans[name] = new JsonObject { ["buffers"] = TopBuffers(plan), ["wal"] = TopLine(plan, "WAL:"), ["plan"] = plan };
        }

        return plans;
    }

    public async Task<long> DatabaseBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _factory.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT pg_database_size(current_database())");
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    // The plan's first "Buffers:" line is its top node's: every shared page the statement touched (hit or read).
    private static long TopBuffers(string plan)
    {
        var line = TopLine(plan, "Buffers:");
        return line.Length == 0 ? 0 : line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.StartsWith("hit=", StringComparison.Ordinal) || part.StartsWith("read=", StringComparison.Ordinal))
            .Sum(part => long.Parse(part[(part.IndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    // The plan's first line of the kind (its top node's), without the label; empty when the plan has none.
    private static string TopLine(string plan, string label) =>
        plan.Split('\n').Select(l => l.TrimStart()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))?[label.Length..].Trim() ?? "";

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _factory.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tracked_requests SET lease_owner = NULL, lease_until = NULL WHERE state = 'Tracking' AND lease_owner IS NOT NULL;
            UPDATE upstream_budget SET tokens = 1000000, paused_until = 0;
            """,
            cancellationToken: cancellationToken));
    }
}
