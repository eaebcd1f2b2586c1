using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Upstream;

/// <summary>Adds Bria's <c>api_token</c> header to every request.</summary>
/// <remarks>Bria authenticates with this header, not with <c>Authorization: Bearer</c>.</remarks>
internal sealed class ApiTokenHandler(IOptionsMonitor<BriaOptions> options) : DelegatingHandler
{
    public const string HeaderName = "api_token";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Remove first so that a re-sent request never carries the header twice.
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, options.CurrentValue.ApiToken);
        return base.SendAsync(request, cancellationToken);
    }
}
