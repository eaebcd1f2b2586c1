using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Reads the bridge's store directly (PostgreSQL or SQLite), for assertions after a run.</summary>
public static class StoreQueries
{
    /// <summary>When the bridge stored each tracked request (<c>created_at</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, DateTimeOffset>> TrackedAtAsync(string provider, string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(provider, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, created_at FROM tracked_requests";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        }

        return result;
    }

    /// <summary>One number from the store, for example the count of unsent outbox rows.</summary>
    public static async Task<long> ScalarAsync(string provider, string connectionString, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(provider, connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<DbConnection> OpenAsync(string provider, string connectionString, CancellationToken cancellationToken)
    {
        DbConnection connection = provider == "Postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
