using Refit;

namespace Bria.StatusBridge.Upstream;

/// <summary>Bria's V2 status endpoint, as a Refit client.</summary>
/// <remarks>
/// The body is read as a string, not a DTO: Bria's bodies carry quirks (a seed as string or number, an error
/// code as number or word, HTML from a proxy in front of it) that a strict deserializer would turn into
/// exceptions. <see cref="BriaStatusParser"/> reads the string instead. <see cref="IApiResponse{T}"/> makes a
/// 404, 429 or 503 data rather than an exception: the poller decides what each means.
/// </remarks>
internal interface IBriaStatusApi
{
    /// <summary>Reads the status of one request: <c>GET /v2/status/{request_id}</c>.</summary>
    [Get("/v2/status/{requestId}")]
    Task<IApiResponse<string>> GetStatusAsync(string requestId, CancellationToken cancellationToken);
}
