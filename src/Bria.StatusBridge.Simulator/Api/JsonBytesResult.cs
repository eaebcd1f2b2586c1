using System.Globalization;

namespace Bria.StatusBridge.Simulator.Api;

/// <summary>Writes pre-rendered JSON bytes as they are, so cached terminal bodies go out byte for byte.</summary>
internal sealed class JsonBytesResult(int statusCode, byte[] body, int? retryAfterSeconds = null) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}
