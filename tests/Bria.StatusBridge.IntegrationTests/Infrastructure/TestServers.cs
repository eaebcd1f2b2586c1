namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Where the integration tests find their servers; <c>scripts/test.sh</c> sets both variables.</summary>
public static class TestServers
{
    /// <summary>Environment variable holding the amqp URI of the RabbitMQ to use.</summary>
    public const string RabbitMqVariable = "STATUSBRIDGE_TEST_RABBITMQ";

    /// <summary>Environment variable holding the Npgsql connection string of the PostgreSQL to use.</summary>
    public const string PostgresVariable = "STATUSBRIDGE_TEST_POSTGRES";

    private const string DefaultRabbitMq = "amqp://guest:guest@127.0.0.1:5672/";

    private const string DefaultPostgres =
        "Host=127.0.0.1;Port=5432;Username=statusbridge;Password=statusbridge;Database=statusbridge_test";

    /// <summary>The RabbitMQ URI, including credentials and virtual host.</summary>
    public static Uri RabbitMqUri => new(Read(RabbitMqVariable, DefaultRabbitMq));

    /// <summary>The connection string of the database the fixtures connect to first.</summary>
    public static string PostgresConnectionString => Read(PostgresVariable, DefaultPostgres);

    private static string Read(string variable, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? fallback : value;
    }
}
