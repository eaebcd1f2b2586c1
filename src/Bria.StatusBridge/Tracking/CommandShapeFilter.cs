using System.Net.Mime;
using Bria.StatusBridge.Contracts;
using MassTransit;
using MassTransit.Transports;

namespace Bria.StatusBridge.Tracking;

/// <summary>Sets aside, before anything is deserialized, a message that is not a command at all: a body that is not JSON
/// by its content type (<c>text/xml</c>, <c>application/octet-stream</c>, ...), an empty body, or JSON <c>null</c>. It
/// moves to <c>track-request_skipped</c> with an <c>MT-Reason</c> that says what was wrong, like an envelope of another
/// message type (<see cref="SkippedMessageFilter"/>). A JSON command that is invalid goes to <c>track-request_error</c>.</summary>
internal sealed class CommandShapeFilter : IFilter<ReceiveContext>
{
    private const string EnvelopeContentType = "application/vnd.masstransit+json";

    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        if (Problem(context) is { } problem && context.TryGetPayload(out IDeadLetterTransport? transport))
        {
            await transport.Send(context, problem);
            return;
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("commandShape");

    /// <summary>What makes this message no command, or null when it may be one.</summary>
    internal static string? Problem(ReceiveContext context)
    {
        if (context.ContentType is { } contentType && !IsJson(contentType))
        {
            return $"not a TrackRequest: the content type is {contentType.MediaType}; a TrackRequest is JSON, sent as application/json (or as MassTransit's {EnvelopeContentType})";
        }

        var body = context.Body.GetBytes().AsSpan().Trim(" \t\r\n"u8);
        if (body.IsEmpty || body.SequenceEqual("null"u8))
        {
            return $"not a TrackRequest: the body is {(body.IsEmpty ? "empty" : "JSON null")}; a TrackRequest is a JSON object with at least request_id";
        }

        return null;
    }

    private static bool IsJson(ContentType contentType) =>
        contentType.MediaType is "application/json" or "text/json" or EnvelopeContentType
        || contentType.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
