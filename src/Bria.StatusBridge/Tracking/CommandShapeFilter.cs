using System.Net.Mime;
using Bria.StatusBridge.Contracts;
using MassTransit;

namespace Bria.StatusBridge.Tracking;

/// <summary>Turns away, before any deserializing, what is not a <see cref="TrackRequest"/>: a body that is not JSON by its
/// content type, a MassTransit envelope of another message type, an empty body or JSON <c>null</c>. Each is moved to
/// <c>track-request_error</c> with an <c>MT-Fault-Message</c> that says what was wrong (an
/// <see cref="InvalidTrackRequestException"/>, which is never retried).</summary>
internal sealed class CommandShapeFilter : IFilter<ConsumeContext>
{
    private const string EnvelopeContentType = "application/vnd.masstransit+json";

    private static readonly string TrackRequestUrn = MessageUrn.ForTypeString<TrackRequest>();

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var contentType = context.ReceiveContext.ContentType;
        if (contentType is not null && !IsJson(contentType))
        {
            throw new InvalidTrackRequestException(
                $"The content type is {contentType.MediaType}: a TrackRequest is JSON, sent as application/json (or as MassTransit's {EnvelopeContentType}).");
        }

        if (contentType?.MediaType == EnvelopeContentType && !context.SupportedMessageTypes.Contains(TrackRequestUrn, StringComparer.Ordinal))
        {
            var types = string.Join(", ", context.SupportedMessageTypes);
            throw new InvalidTrackRequestException(
                $"The envelope's messageType is [{(types.Length == 0 ? "none" : types)}], not {TrackRequestUrn}: the track-request queue takes TrackRequest commands only.");
        }

        var body = context.ReceiveContext.Body.GetBytes();
        var text = System.Text.Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0 || text == "null")
        {
            throw new InvalidTrackRequestException(
                $"The body is {(text.Length == 0 ? "empty" : "JSON null")}: a TrackRequest is a JSON object with at least request_id.");
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("commandShape");

    private static bool IsJson(ContentType contentType) =>
        contentType.MediaType is "application/json" or "text/json" or EnvelopeContentType
        || contentType.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
