using Bria.StatusBridge.Upstream;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The real Bria client, timed.</summary>
internal sealed class CountingStatusClient(IBriaStatusClient inner, StageCounters counters) : IBriaStatusClient
{
    public Task<StatusObservation> GetStatusAsync(string requestId, CancellationToken cancellationToken) =>
        counters.TimeAsync("bria.status-call", () => inner.GetStatusAsync(requestId, cancellationToken));
}
