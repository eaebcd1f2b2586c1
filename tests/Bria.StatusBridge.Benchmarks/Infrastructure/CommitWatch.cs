using System.Collections.Concurrent;
using Bria.StatusBridge.Persistence;
using Npgsql;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Hears the bridge's request-change notifications (PostgreSQL <c>NOTIFY</c>, delivered when the storing
/// transaction commits) on a connection of its own, as a replica's listener does, and keeps when each request's latest
/// one arrived: the moment its latest change became visible to other replicas.</summary>
internal sealed class CommitWatch : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _latest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private CommitWatch(NpgsqlConnection connection)
    {
        _connection = connection;
        connection.Notification += (_, notification) =>
        {
            // The payload is "<origin replica> <request id>".
            var space = notification.Payload.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                _latest[notification.Payload[(space + 1)..]] = DateTimeOffset.UtcNow;
            }
        };
    }

    public static async Task<CommitWatch> StartAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var watch = new CommitWatch(connection);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.RequestsChangedChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        watch._loop = watch.ListenAsync();
        return watch;
    }

    /// <summary>When the latest change of <paramref name="requestId"/> was heard, if any was.</summary>
    public DateTimeOffset? LatestChange(string requestId) => _latest.TryGetValue(requestId, out var at) ? at : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private async Task ListenAsync()
    {
        try
        {
            while (true)
            {
                await _connection.WaitAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
