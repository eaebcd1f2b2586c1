using System.Text.Json;
using MassTransit;

namespace Bria.StatusBridge.Tracking;

/// <summary>The <c>track-request</c> endpoint: plain JSON as well as MassTransit's envelope; anything that is not a
/// valid command goes straight to <c>track-request_error</c> with its reason; an unreachable store is waited out by the
/// consumer (see <see cref="TrackRequestConsumer"/>), so it never sends a valid command there.</summary>
internal sealed class TrackRequestConsumerDefinition : ConsumerDefinition<TrackRequestConsumer>
{
    public const string QueueName = "track-request";

    public TrackRequestConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TrackRequestConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        // Producers that are not .NET send application/json (or no content type at all): read it as the message itself.
        endpointConfigurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
        endpointConfigurator.ConfigureReceive(receive => receive.UseFilter(new CommandShapeFilter()));
        endpointConfigurator.ConfigureDeadLetter(deadLetter => deadLetter.UseFilter(new SkippedMessageFilter()));
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidTrackRequestException>();
            retry.Ignore<JsonException>();
            retry.Exponential(8, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        });
    }
}
