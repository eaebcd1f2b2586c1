using System.Data.Common;
using Dapper;

namespace Bria.StatusBridge.Persistence;

/// <summary>One database transaction that several stores write in, each to its own tables: a terminal outcome
/// with its notifications, a delivery attempt with its endpoint's state and the operator events that follow.</summary>
internal sealed class StoreTransaction : IAsyncDisposable
{
    private List<Action>? _afterCommit;

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

    /// <summary>Runs <paramref name="action"/> once this transaction has committed (never when it rolls back): tells
    /// others about what is now durable, for example that an outcome was stored.</summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        foreach (var action in _afterCommit ?? [])
        {
            action();
        }

        _afterCommit = null;
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
