using Bria.StatusBridge.IntegrationTests.Infrastructure;

namespace Bria.StatusBridge.IntegrationTests.Tracking;

/// <summary>The subscriber scenarios on RabbitMQ and PostgreSQL.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class PostgresSubscriberTests(RabbitMqFixture rabbit, PostgresBridgeEnvironment environment)
    : SubscriberTests(rabbit, environment), IClassFixture<PostgresBridgeEnvironment>;
