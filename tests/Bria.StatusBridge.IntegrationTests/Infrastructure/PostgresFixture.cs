using System.Collections.Concurrent;
using Npgsql;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>
/// Proves that the PostgreSQL from <see cref="TestServers"/> accepts connections, and hands out fresh
/// databases so that each test class owns its data; drops them on dispose.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _databases = new();

    /// <summary>The connection string of the server's default test database.</summary>
    public string ConnectionString { get; } = TestServers.PostgresConnectionString;

    /// <summary>Creates an empty, uniquely named database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"statusbridge_test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        _databases.Enqueue(name);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Opens one connection; throws when the server cannot be reached or refuses the login.</summary>
    public async Task InitializeAsync()
    {
        var target = new NpgsqlConnectionStringBuilder(ConnectionString);
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at {target.Host}:{target.Port} as '{target.Username}' " +
                $"({TestServers.PostgresVariable}): {exception.Message}. " +
                "The integration tests need a running PostgreSQL: run `bash scripts/test.sh`, which starts one, " +
                $"or set {TestServers.PostgresVariable} to the connection string of a running server.",
                exception);
        }
    }

    /// <summary>Drops the databases this fixture created.</summary>
    public async Task DisposeAsync()
    {
        // Pooled connections would otherwise keep the databases in use; FORCE ends any that remain.
        NpgsqlConnection.ClearAllPools();
        while (_databases.TryDequeue(out var name))
        {
            await DropAsync(name);
        }
    }

    /// <summary>PostgreSQL 15's <c>WITH (FORCE)</c> refuses to end an autovacuum worker that happens to be in the
    /// database (42501, "must be a member of the role whose process is being terminated"); the worker leaves within
    /// moments, so the drop is tried again a few times.</summary>
    private async Task DropAsync(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
