using System.Data.Common;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>One database transaction that several stores write in, each to its own tables: a terminal outcome
/// with its notifications, a delivery attempt with its endpoint's state and the operator events that follow.</summary>
internal sealed class StoreTransaction : IAsyncDisposable
{
    private StoreTransaction(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    public static async Task<StoreTransaction> BeginAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            return new StoreTransaction(connection, await connection.BeginTransactionAsync(cancellationToken), connections.Dialect);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A statement in this transaction.</summary>
    public CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, Transaction, cancellationToken: cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
