using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Polling.Learning;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>Learned durations over PostgreSQL or SQLite (table <c>duration_estimates</c>): the only writer of it. One
/// row per kind; replicas fold their observations in under the rows' locks, so none is lost to a concurrent write.</summary>
internal sealed class DurationEstimateStore(IDbConnectionFactory connections) : IDurationEstimateStore
{
    private const string Columns = "endpoint_kind AS Kind, observations AS Observations, weights AS Weights, updated_at AS UpdatedAt";

    public async Task<IReadOnlyList<DurationEstimate>> MergeAsync(
        IReadOnlyList<DurationObservation> observations, double decayPerJob, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (observations.Count == 0)
        {
            return await ReadAsync(cancellationToken);
        }

        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var connection = transaction.Connection;
        var at = now.ToUnixTimeMilliseconds();
        var kinds = observations.Select(o => o.Kind.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();

        // The row must exist to be locked: a kind's first job creates it, empty, and whoever inserts it second waits.
        foreach (var kind in kinds)
        {
            await connection.ExecuteAsync(transaction.Command(
                "INSERT INTO duration_estimates (endpoint_kind, observations, weights, updated_at) VALUES (@Kind, 0, '[]', @At) ON CONFLICT (endpoint_kind) DO NOTHING",
                new { Kind = kind, At = at },
                cancellationToken));
        }

        // Locked in one order (by kind) by every replica: no deadlock between two merges.
        var rows = (await connection.QueryAsync<Row>(transaction.Command(
            $"SELECT {Columns} FROM duration_estimates WHERE {transaction.Dialect.InIds("endpoint_kind")} ORDER BY endpoint_kind{transaction.Dialect.ForUpdate}",
            new { Ids = kinds.ToArray() },
            cancellationToken))).ToDictionary(r => r.Kind, StringComparer.Ordinal);

        foreach (var group in observations.GroupBy(o => o.Kind.ToString()))
        {
            var row = rows[group.Key];
            var histogram = DurationHistogram.FromJson(row.Weights, row.Observations);
            foreach (var observation in group)
            {
                histogram = histogram.Observe(observation.LowSeconds, observation.HighSeconds, decayPerJob);
            }

            await connection.ExecuteAsync(transaction.Command(
                "UPDATE duration_estimates SET observations = @Observations, weights = @Weights, updated_at = @At WHERE endpoint_kind = @Kind",
                new { Kind = group.Key, histogram.Observations, Weights = histogram.ToJson(), At = at },
                cancellationToken));
        }

        var estimates = (await connection.QueryAsync<Row>(transaction.Command(
            $"SELECT {Columns} FROM duration_estimates ORDER BY endpoint_kind", null, cancellationToken))).ToList();
        await transaction.CommitAsync(cancellationToken);
        return ToEstimates(estimates);
    }

    public async Task<IReadOnlyList<DurationEstimate>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM duration_estimates ORDER BY endpoint_kind", cancellationToken: cancellationToken));
        return ToEstimates(rows);
    }

    private static List<DurationEstimate> ToEstimates(IEnumerable<Row> rows) =>
    [
        .. rows
            // A kind this version does not know (written by a newer one) is left to the replicas that do.
            .Where(r => Enum.TryParse<EndpointKind>(r.Kind, out _))
            .Select(r => new DurationEstimate(
                Enum.Parse<EndpointKind>(r.Kind), DurationHistogram.FromJson(r.Weights, r.Observations), StoreTime.At(r.UpdatedAt))),
    ];

    private sealed class Row
    {
        public string Kind { get; init; } = "";

        public long Observations { get; init; }

        public string Weights { get; init; } = "";

        public long UpdatedAt { get; init; }
    }
}
