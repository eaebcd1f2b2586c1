using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The terminal outcome scenarios on RabbitMQ and SQLite, one instance.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class SqliteTerminalOutcomeTests(RabbitMqFixture rabbit, SqliteBridgeEnvironment environment)
    : TerminalOutcomeTests(rabbit, environment), IClassFixture<SqliteBridgeEnvironment>;
