using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>A loopback webhook receiver (Kestrel on 127.0.0.1:0) that checks each signature as a partner would and
/// notes when each <c>webhook-id</c> first arrived. <c>/hang/{n}</c> never answers: it waits until the sender gives up.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _received = new(StringComparer.Ordinal);
    private long _count;
    private long _duplicates;
    private long _badSignatures;
    private long _hangs;

    private WebhookReceiver(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; private set; }

    /// <summary>Deliveries answered (duplicates included).</summary>
    public long Count => Interlocked.Read(ref _count);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long BadSignatures => Interlocked.Read(ref _badSignatures);

    /// <summary>Requests to a hanging endpoint (each held until the sender timed out).</summary>
    public long Hangs => Interlocked.Read(ref _hangs);

    /// <summary>The first arrival of each webhook-id, Unix milliseconds.</summary>
    public IReadOnlyDictionary<string, long> Received => _received;

    public static async Task<WebhookReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0", "--environment", "Benchmark"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = 1000);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new Uri("http://127.0.0.1/"));
        app.MapPost("/hook/{endpoint}", (string endpoint, HttpRequest request) => receiver.AcceptAsync(endpoint, request));
        app.MapPost("/hang/{endpoint}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._hangs);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
            try
            {
                // Bounded by the sender's timeout (it closes the connection) or by stopping the receiver.
                await Task.Delay(TimeSpan.FromMinutes(10), linked.Token);
            }
            catch (OperationCanceledException)
            {
            }

            return Results.StatusCode(503);
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>The secret an endpoint's deliveries are signed with.</summary>
    public void AddEndpoint(string endpoint, string secret) => _keys[endpoint] = WebhookSecret.GetKey(secret);

    public Uri HookUrl(string endpoint) => new(BaseUrl, $"hook/{endpoint}");

    public Uri HangUrl(string endpoint) => new(BaseUrl, $"hang/{endpoint}");

    /// <summary>Forgets the arrivals: the next phase starts from an empty record.</summary>
    public void Reset()
    {
        _received.Clear();
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _duplicates, 0);
        Interlocked.Exchange(ref _badSignatures, 0);
        Interlocked.Exchange(ref _hangs, 0);
    }

    private async Task<IResult> AcceptAsync(string endpoint, HttpRequest request)
    {
        var at = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var id = request.Headers["webhook-id"].ToString();
        var timestamp = request.Headers["webhook-timestamp"].ToString();
        var signature = request.Headers["webhook-signature"].ToString();
        if (!_keys.TryGetValue(endpoint, out var key) || !Verify(key, id, timestamp, buffer.ToArray(), signature))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.StatusCode(401);
        }

        if (!_received.TryAdd(id, at))
        {
            Interlocked.Increment(ref _duplicates);
        }

        Interlocked.Increment(ref _count);
        return Results.NoContent();
    }

    /// <summary>Standard Webhooks verification: any <c>v1,</c> signature of the list matches.</summary>
    private static bool Verify(byte[] key, string id, string timestamp, byte[] body, string header)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content, prefix.Length);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
        return header.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
