using Bria.StatusBridge.Persistence;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>Brings the schema up to date before anything else starts (registered first, so it runs before the bus
/// consumes and the loops poll).</summary>
internal sealed class MigrationHostedService(MigrationRunner runner, IOptions<PersistenceOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await runner.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
