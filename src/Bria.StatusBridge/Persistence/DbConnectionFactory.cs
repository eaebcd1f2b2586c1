using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bria.StatusBridge.Persistence;

internal sealed class DbConnectionFactory : IDbConnectionFactory, IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";

    public DbConnectionFactory(IOptions<PersistenceOptions> options)
    {
        Dialect = SqlDialect.For(options.Value.Provider);
        if (Dialect.Provider == StoreProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(options.Value.ConnectionString);
        }
        else
        {
            // Writers queue behind each other instead of failing with SQLITE_BUSY.
            _sqliteConnectionString = new SqliteConnectionStringBuilder(options.Value.ConnectionString)
            {
                DefaultTimeout = 30,
                Pooling = true,
            }.ToString();
        }
    }

    public StoreProvider Provider => Dialect.Provider;

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
}
