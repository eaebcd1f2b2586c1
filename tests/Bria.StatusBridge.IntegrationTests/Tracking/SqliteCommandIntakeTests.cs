using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The command intake scenarios on RabbitMQ and SQLite, one instance.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class SqliteCommandIntakeTests(RabbitMqFixture rabbit, SqliteBridgeEnvironment environment)
    : CommandIntakeTests(rabbit, environment), IClassFixture<SqliteBridgeEnvironment>;
