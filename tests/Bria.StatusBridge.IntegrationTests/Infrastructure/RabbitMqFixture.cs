using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Proves that the RabbitMQ from <see cref="TestServers"/> accepts connections, and configures buses for it.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    /// <summary>The broker's amqp URI, including credentials and virtual host.</summary>
    public Uri Uri { get; } = TestServers.RabbitMqUri;

    /// <summary>Points a MassTransit bus at this broker.</summary>
    public void ConfigureHost(IRabbitMqBusFactoryConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        var credentials = Uri.UserInfo.Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(Uri.AbsolutePath.TrimStart('/'));
        var port = Uri.IsDefaultPort ? 5672 : Uri.Port;

        configurator.Host(Uri.Host, (ushort)port, virtualHost.Length == 0 ? "/" : virtualHost, host =>
        {
            host.Username(Uri.UnescapeDataString(credentials[0]));
            host.Password(credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : string.Empty);
        });
    }

    /// <summary>Opens and closes one AMQP connection; throws when the broker cannot be reached.</summary>
    public async Task InitializeAsync()
    {
        var factory = new ConnectionFactory
        {
            Uri = Uri,
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync("Bria.StatusBridge.IntegrationTests probe");
        }
        catch (BrokerUnreachableException exception)
        {
            throw new InvalidOperationException(
                $"RabbitMQ is not reachable at {Uri.Host}:{Uri.Port} ({TestServers.RabbitMqVariable}): " +
                $"{exception.InnerException?.Message ?? exception.Message}. " +
                "The integration tests need a running RabbitMQ: run `bash scripts/test.sh`, which starts one, " +
                $"or set {TestServers.RabbitMqVariable} to the amqp URI of a running broker.",
                exception);
        }
    }

    /// <summary>Nothing to release: each test tears down its own bus.</summary>
    public Task DisposeAsync() => Task.CompletedTask;
}
