using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Bria.StatusBridge.Tests.Upstream;

/// <summary>Stands in for the network at the bottom of the real pipeline and records what reached it.</summary>
internal sealed class StubHttpMessageHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    : HttpMessageHandler
{
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(new SeenRequest(
            request.Method,
            request.RequestUri,
            request.Headers.TryGetValues("api_token", out var tokens) ? tokens.ToArray() : [],
            request.Headers.Contains("Authorization")));

        var response = await respond(request, cancellationToken);
        // A real handler links the response to its request; Refit's error path relies on that.
        response.RequestMessage ??= request;
        return response;
    }

    internal sealed record SeenRequest(HttpMethod Method, Uri? Uri, string[] ApiTokens, bool HasAuthorization);
}
