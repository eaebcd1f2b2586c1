using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Persistence;
using MassTransit;

namespace Bria.StatusBridge.Tracking;

/// <summary>Takes <see cref="TrackRequest"/> commands off the <c>track-request</c> queue. The broker's acknowledgement
/// follows the store's commit, so a command is never acknowledged before it is stored. While the store cannot be
/// reached the command is neither failed nor retried: it waits, unacknowledged (so still in RabbitMQ), until the
/// <see cref="StoreGate"/> opens again. At most the endpoint's prefetch of commands are held like this (bounded
/// memory); the rest stay ready in the queue. If the bridge stops meanwhile, the cancelled consume returns the command to the queue.</summary>
internal sealed class TrackRequestConsumer(TrackingService tracking, StoreGate gate) : IConsumer<TrackRequest>
{
    public async Task Consume(ConsumeContext<TrackRequest> context)
    {
        while (true)
        {
            await gate.WaitUntilOpenAsync(context.CancellationToken);
            try
            {
                await tracking.TrackAsync(context.Message, context.CancellationToken);
                return;
            }
            catch (Exception exception) when (StoreFailures.IsUnavailable(exception) && !context.CancellationToken.IsCancellationRequested)
            {
                gate.ReportUnreachable(exception);
            }
        }
    }
}
