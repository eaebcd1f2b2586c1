using System.Collections.Concurrent;
using Bria.StatusBridge.Upstream;

namespace Bria.StatusBridge.Tests.Fakes;

/// <summary>Bria as a script: each request id answers what the test set for it; every call is counted.</summary>
internal sealed class ScriptedStatusClient : IBriaStatusClient
{
    public ConcurrentDictionary<string, StatusObservation> Answers { get; } = new();

    public ConcurrentBag<string> Calls { get; } = [];

    public Task<StatusObservation> GetStatusAsync(string requestId, CancellationToken cancellationToken)
    {
        Calls.Add(requestId);
        return Task.FromResult(Answers.TryGetValue(requestId, out var answer) ? answer : new StatusObservation.InProgress());
    }
}
