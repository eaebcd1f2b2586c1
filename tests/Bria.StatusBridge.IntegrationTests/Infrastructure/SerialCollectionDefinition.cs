namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Test classes that read process-wide telemetry (every host's meters and activity sources are visible to
/// every listener in the process) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollectionDefinition : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name for <c>[Collection(SerialCollectionDefinition.Name)]</c>.</summary>
    public const string Name = "Serial";
}
