namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Test classes that need PostgreSQL share one <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name for <c>[Collection(PostgresCollectionDefinition.Name)]</c>.</summary>
    public const string Name = "PostgreSQL";
}
