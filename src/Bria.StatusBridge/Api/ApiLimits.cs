namespace Bria.StatusBridge.Api;

/// <summary>The sizes the HTTP API accepts; docs/api.md lists them.</summary>
internal static class ApiLimits
{
    /// <summary>The longest URL (path and query): ids are at most 200 characters, so only a mistake gets near it.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Kestrel's own request-line limit, above <see cref="MaxUrlLength"/> so that a long URL reaches the API
    /// and gets a ProblemDetails instead of the server's bare 414.</summary>
    public const int MaxRequestLineSize = 64 * 1024;

    /// <summary>The largest request body: bodies are small JSON objects (metadata is at most 8 KB).</summary>
    public const long MaxBodyBytes = 1024 * 1024;
}
