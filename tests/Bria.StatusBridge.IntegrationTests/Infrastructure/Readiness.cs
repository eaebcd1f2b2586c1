using System.Net;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Reads a bridge's <c>/readyz</c> and waits for an answer, for tests that check readiness along the way.</summary>
public static class Readiness
{
    /// <summary>Waits until <c>/readyz</c> answers <paramref name="expected"/> with a body containing every one of
    /// <paramref name="mustContain"/>; returns that body. Fails with the last answer when time runs out.</summary>
    public static Task<string> WaitForAsync(Uri baseUrl, HttpStatusCode expected, TimeSpan timeout, params string[] mustContain) =>
        WaitForAsync(baseUrl, expected, timeout, static () => "", mustContain);

    /// <summary>As <see cref="WaitForAsync(Uri, HttpStatusCode, TimeSpan, string[])"/>, with <paramref name="context"/>
    /// (say, the bridge's log) added to the failure message.</summary>
    public static async Task<string> WaitForAsync(Uri baseUrl, HttpStatusCode expected, TimeSpan timeout, Func<string> context, params string[] mustContain)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(mustContain);
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var last = "(no answer)";
        var body = "";
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                    body = await response.Content.ReadAsStringAsync();
                    last = $"{(int)response.StatusCode}: {body}";
                    return response.StatusCode == expected && mustContain.All(part => body.Contains(part, StringComparison.Ordinal));
                }
                catch (HttpRequestException exception)
                {
                    last = exception.Message;
                    return false;
                }
            },
            timeout,
            () => $"/readyz never answered {(int)expected} with [{string.Join(", ", mustContain)}]; the last answer was {last}\n{context()}");
        return body;
    }
}
