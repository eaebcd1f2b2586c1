using System.Globalization;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Api;

/// <summary>A request that failed because the store cannot be reached answers 503 with <c>Retry-After</c> and a
/// ProblemDetails that says to try again, instead of a bare 500; the outage itself is reported once, to the gate.</summary>
internal sealed class StoreUnavailableExceptionHandler(IProblemDetailsService problems, StoreGate gate, IOptions<OutageOptions> options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StoreFailures.IsUnavailable(exception))
        {
            return false;
        }

        gate.ReportUnreachable(exception);
        var retryAfter = Math.Max(1, (int)Math.Ceiling(options.Value.StoreProbeInterval.TotalSeconds * 2));
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The bridge's store is unreachable",
                Detail = $"Nothing was changed. Send the same request again in {retryAfter} s or later; tracking is idempotent.",
            },
        });
    }
}
