using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.BriaPush;

/// <summary>A SQLite bridge with <see cref="BriaPushSettings"/>.</summary>
public sealed class BriaPushSqliteEnvironment : SqliteBridgeEnvironment
{
    protected override void Configure(IDictionary<string, string?> settings) => BriaPushSettings.Apply(settings);
}
