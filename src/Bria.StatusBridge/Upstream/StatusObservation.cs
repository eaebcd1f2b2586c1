using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Upstream;

/// <summary>What one status call saw. Upstream trouble is an observation too, never an exception.</summary>
internal abstract record StatusObservation
{
    // Private: the set of observations is closed, so a switch over them can be exhaustive.
    private StatusObservation()
    {
    }

    private StatusObservation(int? httpStatus) => HttpStatus = httpStatus;

    /// <summary>The HTTP status code, or null when no response arrived.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>How long the call took, as measured by the injected <see cref="TimeProvider"/>.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>200 with <c>IN_PROGRESS</c>: keep polling.</summary>
    public sealed record InProgress : StatusObservation;

    /// <summary>200 with <c>COMPLETED</c>: terminal success.</summary>
    public sealed record Completed(BriaResult Result) : StatusObservation;

    /// <summary>200 with <c>ERROR</c>: the job failed for good.</summary>
    public sealed record Failed(BriaError Error) : StatusObservation;

    /// <summary>200 with <c>UNKNOWN</c>: Bria's internal error; may or may not be final.</summary>
    public sealed record Unknown(BriaError? Error) : StatusObservation;

    /// <summary>404: the id does not exist or has expired.</summary>
    public sealed record NotFound : StatusObservation;

    /// <summary>429: the account's rate budget is spent; <paramref name="RetryAfter"/> when Bria said how long.</summary>
    public sealed record Throttled(TimeSpan? RetryAfter) : StatusObservation;

    /// <summary>Anything else: worth another try later (5xx, 401/403, timeouts, network and body trouble).</summary>
    public sealed record Transient(int? HttpStatus, string Reason, BriaError? Error) : StatusObservation(HttpStatus);
}
