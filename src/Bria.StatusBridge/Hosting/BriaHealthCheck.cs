using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>Ready only while Bria accepts the token: after a 401 or 403 the bridge cannot learn any outcome, so it is
/// unhealthy until a probe call is answered otherwise. A Bria that fails or times out is a transient condition the
/// poller rides out; it shows here as Healthy with a description, not as 503.</summary>
internal sealed class BriaHealthCheck(Outages outages, IOptions<OutageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (outages.BriaCredentials.Since is { } since)
        {
            return Task.FromResult(new HealthCheckResult(
                context.Registration.FailureStatus,
                $"Bria refuses the api_token ({outages.BriaCredentials.Detail}) since {since.ToString("O", CultureInfo.InvariantCulture)}; " +
                $"polling is paused, one status call probes every {options.Value.CredentialProbeInterval}. Check Bria__ApiToken."));
        }

        return Task.FromResult(outages.Bria.Since is { } failing
            ? HealthCheckResult.Healthy($"Bria accepts the token; status calls fail since {failing.ToString("O", CultureInfo.InvariantCulture)} ({outages.Bria.Detail}) and are retried with backoff")
            : HealthCheckResult.Healthy("Bria accepts the token"));
    }
}
