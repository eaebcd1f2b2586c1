using System.Net;
using System.Text.Json;
using Bria.StatusBridge.Simulator;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>Plain <see cref="HttpClient"/> status calls, as a naive poller (or the raw baseline) makes them.</summary>
internal static class StatusHttp
{
    public static HttpClient Create(SimulatorHost simulator)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
        {
            BaseAddress = simulator.BaseUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("api_token", simulator.ApiToken);
        return client;
    }

    /// <summary>One status call: true for a terminal answer, false for IN_PROGRESS, null for 429/5xx.</summary>
    public static async Task<bool?> IsTerminalAsync(HttpClient client, string requestId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"v2/status/{requestId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return json.RootElement.GetProperty("status").GetString() != "IN_PROGRESS";
    }
}
