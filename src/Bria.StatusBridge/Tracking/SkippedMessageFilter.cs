using System.Text.Json;
using Bria.StatusBridge.Contracts;
using MassTransit;
using MassTransit.Transports;

namespace Bria.StatusBridge.Tracking;

/// <summary>The dead-letter pipe of <c>track-request</c>: a message no consumer took (a MassTransit envelope of another
/// message type) moves to <c>track-request_skipped</c> like MassTransit's own filter would, but its <c>MT-Reason</c>
/// says what was wrong instead of only <c>dead-letter</c>.</summary>
internal sealed class SkippedMessageFilter : IFilter<ReceiveContext>
{
    private static readonly string TrackRequestUrn = MessageUrn.ForTypeString<TrackRequest>();

    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        if (context.TryGetPayload(out IDeadLetterTransport? transport))
        {
            await transport.Send(context, Reason(context));
            return;
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("skippedMessage");

    /// <summary>Names the message types the envelope declared (read from the body: no consumer deserialized it).</summary>
    internal static string Reason(ReceiveContext context)
    {
        var types = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(context.Body.GetBytes());
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("messageType", out var declared)
                && declared.ValueKind == JsonValueKind.Array)
            {
                types.AddRange(declared.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            }
        }
        catch (JsonException)
        {
            // Unreadable: the reason says that no type was declared.
        }

        var named = types.Count == 0 ? "none" : string.Join(", ", types);
        return $"not a TrackRequest: the envelope's messageType is [{named}], not {TrackRequestUrn}; the track-request queue takes TrackRequest commands only";
    }
}
