using Bria.StatusBridge.IntegrationTests.Infrastructure;
using Bria.StatusBridge.Notifications;

namespace Bria.StatusBridge.IntegrationTests.Storage;

/// <summary>Records every outcome stored signal, in order.</summary>
internal sealed class HeardOutcomes : IOutcomeStoredListener
{
    private readonly LockedCollection<string> _requestIds = new();

    public IReadOnlyList<string> RequestIds => [.. _requestIds];

    public void OnOutcomeStored(OutcomeStored stored) => _requestIds.Add(stored.RequestId);
}
