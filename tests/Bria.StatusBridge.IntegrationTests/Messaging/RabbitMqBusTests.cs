using Bria.StatusBridge.IntegrationTests.Infrastructure;
using MassTransit;

namespace Bria.StatusBridge.IntegrationTests.Messaging;

[Collection(RabbitMqCollectionDefinition.Name)]
public sealed class RabbitMqBusTests(RabbitMqFixture rabbitMq)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bus_round_trip_through_RabbitMQ()
    {
        var sent = new RoundTripPing(Guid.NewGuid(), "hello through RabbitMQ");
        var consumed = new TaskCompletionSource<RoundTripPing>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = Bus.Factory.CreateUsingRabbitMq(configurator =>
        {
            rabbitMq.ConfigureHost(configurator);
            configurator.ReceiveEndpoint($"statusbridge-tests-round-trip-{sent.Id:N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<RoundTripPing>(context =>
                {
                    // Other runs on the same broker publish the same type; only this test's message counts.
                    if (context.Message.Id == sent.Id)
                    {
                        consumed.TrySetResult(context.Message);
                    }

                    return Task.CompletedTask;
                });
            });
        });

        using var timeout = new CancellationTokenSource(Timeout);
        await bus.StartAsync(timeout.Token);
        try
        {
            await bus.Publish(sent, timeout.Token);

            var received = await consumed.Task.WaitAsync(timeout.Token);

            Assert.Equal(sent, received);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
