namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Test classes that need RabbitMQ share one <see cref="RabbitMqFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollectionDefinition : ICollectionFixture<RabbitMqFixture>
{
    /// <summary>The collection name for <c>[Collection(RabbitMqCollectionDefinition.Name)]</c>.</summary>
    public const string Name = "RabbitMQ";
}
