using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bria.StatusBridge.Tests.Simulator;

/// <summary>A real HTTP receiver on a free loopback port: records every POST and answers what <see cref="Respond"/> says.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _count;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Where to point <c>webhook_url</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The status code for the n-th POST (1-based); 204 by default.</summary>
    public Func<int, int> Respond { get; set; } = _ => StatusCodes.Status204NoContent;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{**rest}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var headers = context.Request.Headers;
            var n = Interlocked.Increment(ref receiver._count);
            receiver._received.Enqueue(new ReceivedWebhook(
                headers["Bria-Webhook-Id"].ToString(),
                headers["Bria-Webhook-Timestamp"].ToString(),
                headers["Bria-Webhook-Signature"].ToString(),
                context.Request.ContentType,
                buffer.ToArray()));
            return Results.StatusCode(receiver.Respond(n));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/hooks/bria");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
