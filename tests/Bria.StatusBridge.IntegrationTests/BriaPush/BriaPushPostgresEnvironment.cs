using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.BriaPush;

/// <summary>A PostgreSQL bridge with <see cref="BriaPushSettings"/>.</summary>
public sealed class BriaPushPostgresEnvironment : PostgresBridgeEnvironment
{
    protected override void Configure(IDictionary<string, string?> settings) => BriaPushSettings.Apply(settings);
}
