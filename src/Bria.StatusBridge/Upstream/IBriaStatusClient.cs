namespace Bria.StatusBridge.Upstream;

/// <summary>Reads one request's status from Bria and says what it saw.</summary>
internal interface IBriaStatusClient
{
    /// <summary>Makes exactly one status call (no retries: every call spends the account's rate budget).</summary>
    /// <returns>The observation; upstream trouble is returned as <see cref="StatusObservation.Transient"/> and
    /// friends, never thrown.</returns>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    Task<StatusObservation> GetStatusAsync(string requestId, CancellationToken cancellationToken);
}
