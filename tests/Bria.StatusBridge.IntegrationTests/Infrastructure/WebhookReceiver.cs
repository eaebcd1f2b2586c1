using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A real HTTP receiver (Kestrel on 127.0.0.1, in this process) that records every webhook and answers
/// as the test scripts it: by path and by how many calls that path has had.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Answers a call: the path, the call's number on that path (1-based), the request; returns the result.</summary>
    public delegate Task<IResult> Behaviour(string path, int call, HttpContext context);

    public Uri BaseUrl { get; }

    public IReadOnlyCollection<ReceivedWebhook> Received => _received;

    public IReadOnlyList<ReceivedWebhook> On(string path) => [.. _received.Where(r => r.Path == path)];

    public Uri Url(string path) => new(BaseUrl, path);

    public static Task<WebhookReceiver> StartAsync(Behaviour? behaviour = null) => StartAsync(behaviour, null);

    /// <summary>Starts a receiver; with <paramref name="certificate"/> it serves HTTPS with that certificate.</summary>
    public static async Task<WebhookReceiver> StartAsync(Behaviour? behaviour, X509Certificate2? certificate)
    {
        behaviour ??= (_, _, _) => Task.FromResult(Results.Ok());
        var builder = WebApplication.CreateSlimBuilder(certificate is null ? ["--urls", "http://127.0.0.1:0"] : []);
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        }

        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Map("/{**path}", async (HttpContext context, string? path) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var key = "/" + (path ?? "");
            var call = receiver!._counts.AddOrUpdate(key, 1, (_, n) => n + 1);
            receiver._received.Enqueue(new ReceivedWebhook(
                key,
                context.Request.Headers["webhook-id"].ToString(),
                context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(),
                body,
                DateTimeOffset.UtcNow,
                call));
            return await behaviour(key, call, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, new Uri(address.TrimEnd('/') + "/"));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
