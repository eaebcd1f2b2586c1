using Bria.StatusBridge.Hosting;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bria.StatusBridge.Persistence;

/// <summary>Sleeps while the store is reachable; once work reports it unreachable, probes it with <c>SELECT 1</c> every
/// <see cref="OutageOptions.StoreProbeInterval"/> and opens the <see cref="StoreGate"/> at the first answer.</summary>
internal sealed class StoreProbe(StoreGate gate, IDbConnectionFactory connections, IOptions<OutageOptions> options, TimeProvider time)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await gate.WaitUntilClosedAsync(stoppingToken);
                while (!gate.IsOpen)
                {
                    await Task.Delay(options.Value.StoreProbeInterval, time, stoppingToken);
                    if (await AnswersAsync(stoppingToken))
                    {
                        // Idle pooled connections from before the outage are dead: without this, the first statements
                        // after it would fail on them and start a second outage.
                        NpgsqlConnection.ClearAllPools();
                        SqliteConnection.ClearAllPools();
                        gate.ReportReachable();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> AnswersAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await connections.OpenAsync(stoppingToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: stoppingToken));
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            gate.ReportUnreachable(exception);
            return false;
        }
    }
}
