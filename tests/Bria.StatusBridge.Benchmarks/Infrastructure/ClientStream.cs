using System.Text.Json.Nodes;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>One open status stream as a client holds it: reads events line by line.</summary>
internal sealed class ClientStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ClientStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<ClientStream> OpenAsync(HttpClient http, Uri bridge, string requestId, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(new Uri(bridge, $"/v1/tracked-requests/{requestId}/events"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return new ClientStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    /// <summary>The next event's type and data.</summary>
    public async Task<(string Type, JsonObject Data)> NextEventAsync(CancellationToken cancellationToken)
    {
        string? type = null;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return (type ?? "message", (JsonObject)JsonNode.Parse(line[6..])!);
            }
        }

        throw new InvalidOperationException("The stream closed before an event.");
    }

    /// <summary>Waits for the stream's final event (the outcome, or the partner's cancellation): its type, its data, and
    /// when it arrived.</summary>
    public async Task<(string Type, JsonObject Data, DateTimeOffset ArrivedAt)> FinalEventAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (type, data) = await NextEventAsync(cancellationToken);
            if (type is "outcome" or "cancelled")
            {
                return (type, data, DateTimeOffset.UtcNow);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
