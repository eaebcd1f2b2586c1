using System.Diagnostics;
using Npgsql;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The local PostgreSQL and RabbitMQ (as <c>scripts/test.sh</c> starts them): a private database or
/// virtual host per run, removed afterwards.</summary>
internal static class BenchServers
{
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=statusbridge;Password=statusbridge;Database=statusbridge_test";
    private const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    // Tries of a database drop that a short-lived server process holds up (about 10 s in all).
    private const int DropAttempts = 9;

    public static string PostgresConnectionString =>
        Read("STATUSBRIDGE_BENCH_POSTGRES") ?? Read("STATUSBRIDGE_TEST_POSTGRES") ?? DefaultPostgres;

    public static Uri RabbitMqUri => new(Read("STATUSBRIDGE_BENCH_RABBITMQ") ?? Read("STATUSBRIDGE_TEST_RABBITMQ") ?? DefaultRabbitMq);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        try
        {
            await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            throw new ScenarioUnavailableException(
                $"PostgreSQL is needed at {new NpgsqlConnectionStringBuilder(PostgresConnectionString).Host} ({exception.Message}); " +
                "start it with `bash scripts/test.sh` once or set STATUSBRIDGE_BENCH_POSTGRES.", exception);
        }

        return new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        // FORCE ends the sessions still in the database, but not a server process of no role, such as an autovacuum
        // worker that a run's writes woke ("must be a member of the role whose process is being terminated"), nor
        // does a plain drop wait for one ("being accessed by other users"): such a worker ends within moments, so try
        // again for a few seconds before failing.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < DropAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
    }

    /// <summary>Creates a virtual host with <c>rabbitmqctl</c> and returns the amqp URI into it.</summary>
    public static async Task<Uri> CreateVirtualHostAsync(string name, CancellationToken cancellationToken)
    {
        var user = Uri.UnescapeDataString(RabbitMqUri.UserInfo.Split(':', 2)[0]);
        await RabbitMqCtlAsync(["add_vhost", name], cancellationToken);
        await RabbitMqCtlAsync(["set_permissions", "-p", name, user, ".*", ".*", ".*"], cancellationToken);
        return new UriBuilder(RabbitMqUri) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    public static Task DeleteVirtualHostAsync(string name) => RabbitMqCtlAsync(["delete_vhost", name], CancellationToken.None);

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task RabbitMqCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new ScenarioUnavailableException("rabbitmqctl is needed to make a private virtual host: run RabbitMQ on this machine (`bash scripts/test.sh` starts one).", exception);
        }

        using (process)
        {
            if (process is null)
            {
                throw new ScenarioUnavailableException("rabbitmqctl could not be started.");
            }

            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new ScenarioUnavailableException($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
            }
        }
    }

    private static string? Read(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
