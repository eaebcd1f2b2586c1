using System.Globalization;
using System.Text;
using System.Text.Json;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Streams;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Api;

/// <summary>Writes one request's status stream (<c>text/event-stream</c>): the current state unless the client has it,
/// then each change as the hub wakes the stream, a comment line at each shared heartbeat, and the final event, after
/// which it closes. Owns the stream's lease and frees it however the stream ends.</summary>
internal sealed partial class StatusStreamResult(
    StatusStreamLease lease, PartnerRequestView first, StatusStreamStart start) : IResult
{
    public const string ContentType = "text/event-stream";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var owned = lease;
        var services = httpContext.RequestServices;
        var hub = services.GetRequiredService<StatusStreamHub>();
        var requests = services.GetRequiredService<PartnerRequests>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var options = services.GetRequiredService<IOptions<StatusStreamOptions>>().Value;
        var logger = services.GetRequiredService<ILogger<StatusStreamResult>>();
        var response = httpContext.Response;
        var aborted = httpContext.RequestAborted;

        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold events back in their buffers.
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            await WriteAsync(response, $"retry: {(long)options.ReconnectDelay.TotalMilliseconds}\n\n", aborted);
            var current = StatusStreamRule.EventFor(first);
            var lastSent = current.Id;
            if (start == StatusStreamStart.Send)
            {
                await SendAsync(response, current, first, json, aborted);
                if (current.Final)
                {
                    return;
                }
            }

            while (true)
            {
                await Task.WhenAny(lease.Changed, hub.NextHeartbeat, hub.Closing).WaitAsync(aborted);
                if (hub.Closing.IsCompleted)
                {
                    // The replica stops: ending the response makes the client reconnect, to another replica.
                    return;
                }

                if (!lease.Changed.IsCompleted)
                {
                    await WriteAsync(response, ": heartbeat\n\n", aborted);
                    continue;
                }

                lease.Rearm();
                var view = await requests.GetAsync(lease.PartnerId, lease.RequestId, aborted);
                if (view is null)
                {
                    return;
                }

                current = StatusStreamRule.EventFor(view);
                if (StatusStreamRule.IsChange(current, lastSent))
                {
                    await SendAsync(response, current, view, json, aborted);
                    lastSent = current.Id;
                    if (current.Final)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The store failed mid-stream: ending the stream makes the client reconnect and resume with Last-Event-ID.
            LogStreamFailed(logger, exception, lease.RequestId);
        }
    }

    private static Task SendAsync(HttpResponse response, StatusEvent current, PartnerRequestView view, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.Serialize(TrackedRequestsApi.ToResponse(view), json);
        return WriteAsync(response, string.Create(CultureInfo.InvariantCulture, $"id: {current.Id}\nevent: {current.Type}\ndata: {data}\n\n"), cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The status stream of {RequestId} failed; the client reconnects")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception, string requestId);
}
