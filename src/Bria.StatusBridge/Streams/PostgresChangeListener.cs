using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Persistence;
using Npgsql;

namespace Bria.StatusBridge.Streams;

/// <summary>The one cross-replica listener of a replica on PostgreSQL: a single connection that <c>LISTEN</c>s to
/// <see cref="PostgresDialect.RequestsChangedChannel"/> and hands other replicas' changes to this replica's listeners
/// (the status streams). On SQLite (one instance) there is nothing to listen to and it ends at once. After every
/// (re)connect it wakes all streams once, since changes made while it was away were not heard.</summary>
internal sealed partial class PostgresChangeListener(
    IDbConnectionFactory connections,
    RequestChangeNotifier changes,
    StatusStreamHub hub,
    TimeProvider time,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    // A silent connection is checked this often, so that a dead one is noticed and replaced.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly Backoff ReconnectBackoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (connections.Provider != StoreProvider.Postgres)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(() => failures = 0, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                var delay = ReconnectBackoff.After(++failures);
                LogListenFailed(logger, exception, delay);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(Action connected, CancellationToken stoppingToken)
    {
        await using var connection = (NpgsqlConnection)await connections.OpenAsync(stoppingToken);
        connection.Notification += (_, notification) => OnNotification(notification.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.RequestsChangedChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        connected();
        LogListening(logger);
        hub.WakeAll();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(KeepAlive, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void OnNotification(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || payload.AsSpan(0, space).SequenceEqual(changes.Origin))
        {
            // This replica's own change: its streams heard it in-process at the commit.
            return;
        }

        changes.Changed([payload[(space + 1)..]]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for request changes of other replicas")]
    private static partial void LogListening(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for request changes of other replicas failed; reconnecting in {Delay}")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan delay);
}
