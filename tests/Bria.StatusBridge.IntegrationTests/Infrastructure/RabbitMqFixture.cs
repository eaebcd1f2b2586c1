using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Proves that the RabbitMQ from <see cref="TestServers"/> accepts connections, and configures buses for it.</summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _virtualHosts = new();

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

    /// <summary>Creates an empty virtual host (with <c>rabbitmqctl</c>, so the broker must run on this machine) and
    /// returns the amqp URI into it: the bridge's fixed queue names then belong to one test class alone.</summary>
    public async Task<Uri> CreateVirtualHostAsync(CancellationToken cancellationToken = default)
    {
        var name = $"statusbridge-test-{Guid.NewGuid():N}";
        var user = Uri.UnescapeDataString(Uri.UserInfo.Split(':', 2)[0]);
        await RabbitMqCtlAsync(["add_vhost", name], cancellationToken);
        await RabbitMqCtlAsync(["set_permissions", "-p", name, user, ".*", ".*", ".*"], cancellationToken);
        _virtualHosts.Enqueue(name);
        return new UriBuilder(Uri) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    /// <summary>Deletes the virtual hosts this fixture created, with their queues.</summary>
    public async Task DisposeAsync()
    {
        while (_virtualHosts.TryDequeue(out var name))
        {
            await RabbitMqCtlAsync(["delete_vhost", name], CancellationToken.None);
        }
    }

    private static async Task RabbitMqCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("rabbitmqctl could not be started: the integration tests need the local RabbitMQ that `bash scripts/test.sh` starts.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }
    }
}
