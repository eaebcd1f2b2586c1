using Bria.StatusBridge.Contracts;
using MassTransit;

namespace Bria.StatusBridge.Tracking;

/// <summary>Takes <see cref="TrackRequest"/> commands off the <c>track-request</c> queue. The broker's acknowledgement
/// follows the store's commit, so a command is never acknowledged before it is stored.</summary>
internal sealed class TrackRequestConsumer(TrackingService tracking) : IConsumer<TrackRequest>
{
    public Task Consume(ConsumeContext<TrackRequest> context) => tracking.TrackAsync(context.Message, context.CancellationToken);
}
