using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>One purge batch in one short transaction: picks at most a batch of ids (rows another replica has locked
/// are skipped on PostgreSQL), then runs the owner's deletes for exactly those ids, children first.</summary>
internal static class PurgeBatch
{
    public static async Task<int> RunAsync(
        IDbConnectionFactory connections, string selectIds, object parameters, IReadOnlyList<string> deletes, CancellationToken cancellationToken)
    {
        await using var transaction = await StoreTransaction.BeginAsync(connections, cancellationToken);
        var ids = (await transaction.Connection.QueryAsync<string>(transaction.Command(selectIds, parameters, cancellationToken))).ToArray();
        var removed = 0;
        if (ids.Length > 0)
        {
            foreach (var delete in deletes)
            {
                removed = await transaction.Connection.ExecuteAsync(transaction.Command(delete, new { Ids = ids }, cancellationToken));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>The oldest value of a time column (Unix milliseconds) among the rows <paramref name="sql"/> selects.</summary>
    public static async Task<DateTimeOffset?> OldestAsync(IDbConnectionFactory connections, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return StoreTime.At(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, cancellationToken: cancellationToken)));
    }
}
