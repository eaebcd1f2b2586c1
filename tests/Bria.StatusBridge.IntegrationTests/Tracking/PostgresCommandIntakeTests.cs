using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The command intake scenarios on RabbitMQ and PostgreSQL.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PostgresCommandIntakeTests(RabbitMqFixture rabbit, PostgresBridgeEnvironment environment)
    : CommandIntakeTests(rabbit, environment), IClassFixture<PostgresBridgeEnvironment>;
