namespace Bria.StatusBridge.Simulator.Faults;

/// <summary>What happens to one status call before the job is read: a delay, then either a failure or the job.</summary>
/// <param name="Latency">The delay before answering.</param>
/// <param name="FailureCode">429 or 5xx to answer instead of the job; null to read the job.</param>
/// <param name="RetryAfterSeconds">The <c>Retry-After</c> header of the failure, if any.</param>
/// <param name="IncludeRequestId">Whether the failure body names the request id.</param>
/// <param name="FromBudget">Whether the failure is the per-token budget (rather than an injected fault).</param>
internal readonly record struct StatusAdmission(
    TimeSpan Latency,
    int? FailureCode,
    int? RetryAfterSeconds,
    bool IncludeRequestId,
    bool FromBudget);
