using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The subscriber scenarios on RabbitMQ and SQLite, one instance.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class SqliteSubscriberTests(RabbitMqFixture rabbit, SqliteBridgeEnvironment environment)
    : SubscriberTests(rabbit, environment), IClassFixture<SqliteBridgeEnvironment>;
