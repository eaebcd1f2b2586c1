using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The terminal outcome scenarios on RabbitMQ and PostgreSQL.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PostgresTerminalOutcomeTests(RabbitMqFixture rabbit, PostgresBridgeEnvironment environment)
    : TerminalOutcomeTests(rabbit, environment), IClassFixture<PostgresBridgeEnvironment>;
