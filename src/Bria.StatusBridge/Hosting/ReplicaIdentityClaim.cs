using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Bria.StatusBridge.Persistence;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>At start, after the migrations and before any loop: makes sure no other live process runs under this
/// replica's name, then hands back the leases the name still holds (a predecessor killed without a graceful stop), so
/// its requests are polled, its events published and its webhooks sent at once instead of after the lease duration.
/// The guard is a lock the operating system or the database drops the moment the holder dies: a PostgreSQL session
/// advisory lock on the name, or for SQLite an exclusive lock on a file beside the database. While this process lives
/// it holds the lock; on PostgreSQL it checks the lock's session every <c>Outages__StoreProbeInterval</c> and, when the
/// session dropped (a database restart, a cut connection), takes the lock again on a new one.</summary>
internal sealed partial class ReplicaIdentityClaim(
    ReplicaIdentity replica,
    IDbConnectionFactory connections,
    IOptions<PersistenceOptions> persistence,
    IOptions<OutageOptions> outages,
    ITrackingStore tracking,
    IOutboxStore outbox,
    IDeliveryStore deliveries,
    TimeProvider time,
    ILogger<ReplicaIdentityClaim> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private DbConnection? _lockConnection;
    private FileStream? _lockFile;
    private Task? _watch;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        bool held;
        try
        {
            held = await TryLockAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Without the lock, taking the name could mean sharing it with a live process: run under a unique one.
            LogLockFailed(logger, replica.Configured, StoreFailures.Describe(exception));
            held = false;
        }

        if (!held)
        {
            replica.UseUniqueName();
            LogNameInUse(logger, replica.Configured, replica.Id);
            return;
        }

        if (_lockConnection is not null)
        {
            _watch = WatchLockAsync(_stopping.Token);
        }

        try
        {
            var polls = await tracking.ReleaseLeasesAsync(replica.Id, cancellationToken);
            var events = await outbox.ReleaseLeasesAsync(replica.Id, cancellationToken);
            var webhooks = await deliveries.ReleaseLeasesAsync(replica.Id, cancellationToken);
            LogTookBack(logger, replica.Id, polls, events, webhooks);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // They run out by themselves after the lease duration.
            LogTakeBackFailed(logger, replica.Id, StoreFailures.Describe(exception));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        if (_watch is not null)
        {
            await _watch;
            _watch = null;
        }

        if (_lockConnection is not null)
        {
            await _lockConnection.DisposeAsync();
            _lockConnection = null;
        }

        if (_lockFile is not null)
        {
            await _lockFile.DisposeAsync();
            _lockFile = null;
        }
    }

    /// <summary>Checks the lock's session every probe interval; a session that dropped took the lock with it, so the lock
    /// is taken again on a new session. Should another live process have taken the name meanwhile, it also took back
    /// this name's leases at its start: this process then runs under a unique name, as if it had found the name taken.</summary>
    private async Task WatchLockAsync(CancellationToken stoppingToken)
    {
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(outages.Value.StoreProbeInterval, time, stoppingToken);
                if (!lost)
                {
                    await _lockConnection!.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: stoppingToken));
                    continue;
                }

                if (await TryPostgresLockAsync(stoppingToken))
                {
                    lost = false;
                    LogLockRetaken(logger, replica.Configured);
                    continue;
                }

                replica.UseUniqueName();
                LogNameTakenWhileLost(logger, replica.Configured, replica.Id);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!lost)
            {
                lost = true;
                LogLockLost(logger, replica.Configured, StoreFailures.Describe(exception));
                var dropped = _lockConnection;
                _lockConnection = null;
                await DisposeQuietlyAsync(dropped!);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // The store is still unreachable: the next probe tries again; the outage itself is logged by the gate.
                LogLockRetryFailed(logger, exception, replica.Configured);
            }
        }
    }

    private static async Task DisposeQuietlyAsync(DbConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A broken session may fail to close; it is gone either way.
        }
    }

    private async Task<bool> TryPostgresLockAsync(CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            var locked = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(@Key)", new { Key = LockKey(replica.Configured) }, cancellationToken: cancellationToken));
            if (locked)
            {
                _lockConnection = connection;
                return true;
            }
        }
        catch
        {
            await DisposeQuietlyAsync(connection);
            throw;
        }

        await connection.DisposeAsync();
        return false;
    }

    private async Task<bool> TryLockAsync(CancellationToken cancellationToken)
    {
        if (connections.Provider == StoreProvider.Postgres)
        {
            return await TryPostgresLockAsync(cancellationToken);
        }

        var database = new SqliteConnectionStringBuilder(persistence.Value.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(database) || database == ":memory:")
        {
            // A private in-memory database: no other process can share it.
            return true;
        }

        var path = $"{Path.GetFullPath(database)}.replica-{replica.Configured}.lock";
        try
        {
            _lockFile = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A stable 64-bit key for the name (PostgreSQL advisory locks take a bigint).</summary>
    private static long LockKey(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("bria-status-bridge/replica/" + name)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {ReplicaId} took back {Polls} poll leases, {Events} outbox leases and {Webhooks} webhook delivery leases held by its previous run")]
    private static partial void LogTookBack(ILogger logger, string replicaId, int polls, int events, int webhooks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another live process runs as replica {Configured}; this one runs as {ReplicaId} (set Polling__ReplicaId per process)")]
    private static partial void LogNameInUse(ILogger logger, string configured, string replicaId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not take the lock of replica name {Configured} ({Reason})")]
    private static partial void LogLockFailed(ILogger logger, string configured, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session holding the lock of replica name {Configured} dropped ({Reason}); taking the lock again")]
    private static partial void LogLockLost(ILogger logger, string configured, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not take the lock of replica name {Configured} again yet")]
    private static partial void LogLockRetryFailed(ILogger logger, Exception exception, string configured);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Configured} holds the lock of its name again")]
    private static partial void LogLockRetaken(ILogger logger, string configured);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another live process took replica name {Configured} while this one's lock session was down; this one runs as {ReplicaId} from now on (set Polling__ReplicaId per process)")]
    private static partial void LogNameTakenWhileLost(ILogger logger, string configured, string replicaId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {ReplicaId} could not take back its previous leases ({Reason}); they run out by themselves")]
    private static partial void LogTakeBackFailed(ILogger logger, string replicaId, string reason);
}
