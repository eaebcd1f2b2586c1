using System.Net;
using System.Text.Json.Nodes;

namespace Bria.StatusBridge.IntegrationTests.Streams;

/// <summary>A client's side of one status stream: reads events (and counts heartbeat comments) the way
/// <c>EventSource</c> does, line by line as they arrive.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Status => _response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>Comment lines (heartbeats) read so far.</summary>
    public int Comments { get; private set; }

    /// <summary>The reconnection delay the server asked for, in milliseconds.</summary>
    public int? Retry { get; private set; }

    /// <summary>Opens <paramref name="path"/>; the answer's headers are read, its body streams.</summary>
    public static async Task<SseClient> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new SseClient(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The body of a non-stream answer (a ProblemDetails).</summary>
    public async Task<JsonObject> ReadProblemAsync() => (JsonObject)JsonNode.Parse(await _reader.ReadToEndAsync())!;

    /// <summary>The next event, or null when the server closed the stream; fails the test when none comes in time.</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        string? id = null;
        string? type = null;
        string? data = null;
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No event within {timeout}");
                return null;
            }

            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new SseEvent(id, type ?? "message", (JsonObject)JsonNode.Parse(data)!);
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments++;
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else if (line.StartsWith("retry: ", StringComparison.Ordinal))
            {
                Retry = int.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Reads events until the final one and the close; every event, in order.</summary>
    public async Task<IReadOnlyList<SseEvent>> ReadToEndAsync(TimeSpan timeout)
    {
        var events = new List<SseEvent>();
        using var deadline = new CancellationTokenSource(timeout);
        while (await NextAsync(timeout) is { } next)
        {
            events.Add(next);
            Assert.False(deadline.IsCancellationRequested, $"The stream did not end within {timeout}: {string.Join(", ", events.Select(e => e.Id))}");
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
