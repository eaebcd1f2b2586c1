using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.BriaPush;

/// <summary>Bria's pushes on RabbitMQ and SQLite, one instance.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class SqliteBriaPushTests(RabbitMqFixture rabbit, BriaPushSqliteEnvironment environment)
    : BriaPushTests(rabbit, environment), IClassFixture<BriaPushSqliteEnvironment>;
