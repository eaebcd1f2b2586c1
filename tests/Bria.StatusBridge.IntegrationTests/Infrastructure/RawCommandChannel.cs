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

    /// <summary>Where messages go that no consumer takes (another message type).</summary>
    public const string SkippedQueueName = "track-request_skipped";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<DeadLetter> _errors = new();
    private readonly ConcurrentQueue<DeadLetter> _skipped = new();

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

    /// <summary>Publishes <paramref name="body"/> through the default exchange to <c>track-request</c>; waits for the broker's
    /// confirm.</summary>
    public Task PublishAsync(string body, string? contentType, CancellationToken cancellationToken = default) =>
        PublishAsync(body, contentType, null, cancellationToken);

    /// <summary>Publishes as above, with <paramref name="marker"/> in an <c>x-test-marker</c> header (for bodies that cannot hold it).</summary>
    public async Task PublishAsync(string body, string? contentType, string? marker, CancellationToken cancellationToken = default)
    {
        var properties = new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = contentType };
        if (marker is not null)
        {
            properties.Headers = new Dictionary<string, object?> { ["x-test-marker"] = Encoding.UTF8.GetBytes(marker) };
        }

        await _channel.BasicPublishAsync("", QueueName, mandatory: true, properties, Encoding.UTF8.GetBytes(body), cancellationToken);
    }

    /// <summary>Every message that reached <c>track-request_error</c> so far (read now, and kept for later calls).</summary>
    public async Task<IReadOnlyList<DeadLetter>> ErrorsAsync()
    {
        await DrainErrorQueueAsync();
        return [.. _errors];
    }

    /// <summary>Waits for a message in <c>track-request_error</c> whose body (or <c>x-test-marker</c> header) contains <paramref name="marker"/>. Every
    /// message read is kept, so tests that share the queue each find their own.</summary>
    public Task<DeadLetter> WaitForErrorAsync(string marker, TimeSpan timeout) => WaitForAsync(ErrorQueueName, _errors, marker, timeout);

    /// <summary>Waits for a message in <c>track-request_skipped</c> carrying <paramref name="marker"/>, as above.</summary>
    public Task<DeadLetter> WaitForSkippedAsync(string marker, TimeSpan timeout) => WaitForAsync(SkippedQueueName, _skipped, marker, timeout);

    private async Task<DeadLetter> WaitForAsync(string queue, ConcurrentQueue<DeadLetter> seen, string marker, TimeSpan timeout)
    {
        DeadLetter? found = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                await DrainAsync(queue, seen);

                found = seen.FirstOrDefault(e => e.Body.Contains(marker, StringComparison.Ordinal) || e.Header("x-test-marker") == marker);
                return found is not null;
            },
            timeout,
            () => $"no message containing '{marker}' reached {queue}; {seen.Count} other messages did.");
        return found!;
    }

    private Task DrainErrorQueueAsync() => DrainAsync(ErrorQueueName, _errors);

    private async Task DrainAsync(string queue, ConcurrentQueue<DeadLetter> seen)
    {
        // MassTransit declares the error and skipped queues with their first message; until then a get on one would
        // close the channel.
        await using (var probe = await _connection.CreateChannelAsync())
        {
            try
            {
                await probe.QueueDeclarePassiveAsync(queue);
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
            {
                return;
            }
        }

        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            seen.Enqueue(DeadLetter.From(message));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
