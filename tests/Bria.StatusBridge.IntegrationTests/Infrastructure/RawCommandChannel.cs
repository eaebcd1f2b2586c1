using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Talks to the bridge's queues the way a non-.NET producer would: plain AMQP, no MassTransit. Publishes raw
/// bodies to <c>track-request</c> and reads <c>track-request_error</c>.</summary>
public sealed class RawCommandChannel : IAsyncDisposable
{
    /// <summary>The bridge's command queue.</summary>
    public const string QueueName = "track-request";

    /// <summary>Where MassTransit moves commands that failed.</summary>
    public const string ErrorQueueName = "track-request_error";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<DeadLetter> _errors = new();

    private RawCommandChannel(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>Connects to the virtual host at <paramref name="amqpUri"/>, with publisher confirms.</summary>
    public static async Task<RawCommandChannel> ConnectAsync(Uri amqpUri, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory { Uri = amqpUri, AutomaticRecoveryEnabled = false };
        var connection = await factory.CreateConnectionAsync("Bria.StatusBridge.IntegrationTests raw producer", cancellationToken);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        return new RawCommandChannel(connection, channel);
    }

    /// <summary>Publishes <paramref name="body"/> through the default exchange to <c>track-request</c>; waits for the broker's confirm.</summary>
    public async Task PublishAsync(string body, string? contentType, CancellationToken cancellationToken = default)
    {
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = contentType };
        await _channel.BasicPublishAsync("", QueueName, mandatory: true, properties, Encoding.UTF8.GetBytes(body), cancellationToken);
    }

    /// <summary>Waits for a message in <c>track-request_error</c> whose body contains <paramref name="marker"/>. Every
    /// message read is kept, so tests that share the queue each find their own.</summary>
    public async Task<DeadLetter> WaitForErrorAsync(string marker, TimeSpan timeout)
    {
        DeadLetter? found = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                await DrainErrorQueueAsync();

                found = _errors.FirstOrDefault(e => e.Body.Contains(marker, StringComparison.Ordinal));
                return found is not null;
            },
            timeout,
            () => $"no message containing '{marker}' reached {ErrorQueueName}; {_errors.Count} other messages did.");
        return found!;
    }

    private async Task DrainErrorQueueAsync()
    {
        // MassTransit declares the error queue with the first failure; until then a get on it would close the channel.
        await using (var probe = await _connection.CreateChannelAsync())
        {
            try
            {
                await probe.QueueDeclarePassiveAsync(ErrorQueueName);
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
            {
                return;
            }
        }

        while (await _channel.BasicGetAsync(ErrorQueueName, autoAck: true) is { } message)
        {
            _errors.Enqueue(DeadLetter.From(message));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
