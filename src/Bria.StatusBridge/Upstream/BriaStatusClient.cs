using System.Net.Http;
using Polly.Timeout;
using Refit;

namespace Bria.StatusBridge.Upstream;

/// <summary>Makes one status call through <see cref="IBriaStatusApi"/> and turns whatever happens into a
/// <see cref="StatusObservation"/>.</summary>
internal sealed class BriaStatusClient(
    IBriaStatusApi api,
    TimeProvider timeProvider,
    ILogger<BriaStatusClient> logger) : IBriaStatusClient
{
    public async Task<StatusObservation> GetStatusAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);

        var started = timeProvider.GetTimestamp();
        StatusObservation observation;
        try
        {
            using var response = await api.GetStatusAsync(requestId, cancellationToken);
            observation = FromResponse(response, requestId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The contract is "never throws for upstream trouble": whatever the pipeline raises is an observation.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            observation = FromException(exception, requestId);
        }

        observation = observation with { Latency = timeProvider.GetElapsedTime(started) };
        Report(observation, requestId);
        return observation;
    }

    private StatusObservation FromResponse(IApiResponse<string> response, string requestId, CancellationToken cancellationToken)
    {
        if (response.HasRequestError(out var requestError))
        {
            // Refit hands transport failures back inside the response; the caller's cancellation still wins.
            cancellationToken.ThrowIfCancellationRequested();
            return FromException(requestError.InnerException ?? requestError, requestId);
        }

        if (!response.IsReceived)
        {
            return new StatusObservation.Transient(null, "No response received", null);
        }

        var status = (int)response.StatusCode;
        // Refit keeps a failed response's body on the error rather than in Content.
        var body = response.IsSuccessStatusCode ? response.Content : (response.Error as ApiException)?.Content;
        var retryAfter = BriaStatusParser.ReadRetryAfter(response.Headers?.RetryAfter, timeProvider.GetUtcNow());
        return BriaStatusParser.Map(status, body, retryAfter);
    }

    private StatusObservation.Transient FromException(Exception exception, string requestId)
    {
        var reason = exception switch
        {
            TimeoutRejectedException => "Request timed out",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "DNS lookup failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "Connection failed",
            HttpRequestException http => $"HTTP request failed ({http.HttpRequestError})",
            // Not the caller's token (that is rethrown above): the connect timeout or HttpClient's own timeout.
            OperationCanceledException => "Request timed out",
            _ => $"Request failed ({exception.GetType().Name})",
        };
        BriaStatusClientLog.CallFailed(logger, requestId, reason, exception);
        return new StatusObservation.Transient(null, reason, null);
    }

    private void Report(StatusObservation observation, string requestId)
    {
        switch (observation)
        {
            case StatusObservation.Transient { HttpStatus: 401 or 403 } rejected:
                BriaStatusClientLog.CredentialsRejected(logger, requestId, rejected.HttpStatus);
                break;
            case StatusObservation.Transient { HttpStatus: not null } transient:
                BriaStatusClientLog.TransientResponse(logger, requestId, transient.HttpStatus, transient.Reason);
                break;
            case StatusObservation.Throttled throttled:
                BriaStatusClientLog.Throttled(logger, requestId, throttled.RetryAfter);
                break;
            default:
                break;
        }

        BriaStatusClientLog.Observed(
            logger, requestId, observation.GetType().Name, observation.HttpStatus, observation.Latency.TotalMilliseconds);
    }
}
