using System.Net;
using System.Text.Json;

namespace Bria.StatusBridge.Tests.Simulator;

/// <summary>An HTTP answer kept after its response is disposed: code, exact body and Retry-After.</summary>
internal sealed record Answer(HttpStatusCode Status, string Body, byte[] Bytes, TimeSpan? RetryAfter)
{
    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new Answer(response.StatusCode, System.Text.Encoding.UTF8.GetString(bytes), bytes, response.Headers.RetryAfter?.Delta);
    }

    public bool HasRetryAfter => RetryAfter is not null;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
