using System.Text;
using System.Text.Json;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Notifications;
using Bria.StatusBridge.Simulator;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Tracking;
using RabbitMQ.Client;

namespace Bria.StatusBridge.IntegrationTests.Messaging;

/// <summary>What the README promises a non-.NET consumer: outcome events arrive on the fanout exchange named after
/// the contract, in MassTransit's envelope, with a <c>messageId</c> derived from the request and the subscriber.</summary>
[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class OutcomeExchangeTests(RabbitMqFixture rabbit, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Exchange = "Bria.StatusBridge.Contracts:RequestCompleted";

    [Fact]
    public async Task Any_AMQP_client_bound_to_the_contract_exchange_gets_the_event_with_its_derived_message_id()
    {
        const string requestId = "amqp-out-1";
        await using var simulator = await SimulatorHost.StartAsync();
        var virtualHost = await rabbit.CreateVirtualHostAsync();
        await using var bridge = await BridgeHost.StartAsync(BridgeHost.ServerSettings(simulator, await postgres.CreateDatabaseAsync(), virtualHost));

        // A plain AMQP consumer: its own queue, bound to the exchange the README names (declared alike, so the binding
        // can exist before the bridge's first publish).
        var factory = new ConnectionFactory { Uri = virtualHost, AutomaticRecoveryEnabled = false };
        await using var connection = await factory.CreateConnectionAsync("Bria.StatusBridge.IntegrationTests outcome consumer");
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Exchange, "");

        simulator.State.CreateJob(new JobSpec { RequestId = requestId, DurationMs = 200, Outcome = JobOutcome.Completed });
        await bridge.Bus.Publish(new TrackRequest { RequestId = requestId, CorrelationId = "order-17" });

        BasicGetResult? delivery = null;
        await Eventually.HoldsAsync(
            async () => (delivery = await channel.BasicGetAsync(queue, autoAck: true)) is not null,
            TimeSpan.FromSeconds(30),
            () => $"no event reached a queue bound to {Exchange}");

        using var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(delivery!.Body.Span));
        var root = envelope.RootElement;
        var subscriberId = new TrackingCommand(requestId, null, "order-17", null, null, EndpointKind.Image, DateTimeOffset.UtcNow, new Dictionary<string, string>(), null).SubscriberId;
        Assert.Equal(OutboxMessageId.For(requestId, subscriberId), root.GetProperty("messageId").GetGuid());
        Assert.Contains("urn:message:Bria.StatusBridge.Contracts:RequestCompleted", root.GetProperty("messageType").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(requestId, root.GetProperty("message").GetProperty("requestId").GetString());
        Assert.Equal("order-17", root.GetProperty("message").GetProperty("correlationId").GetString());
    }
}
