using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bria.StatusBridge.Persistence;

/// <summary>Ready only while the store answers: opens a connection and runs <c>SELECT 1</c>.</summary>
internal sealed class DatabaseHealthCheck(IDbConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{connections.Provider} answers");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: driver messages can carry host names and user names.
            return new HealthCheckResult(context.Registration.FailureStatus, $"{connections.Provider} is unreachable ({exception.GetType().Name})");
        }
    }
}
