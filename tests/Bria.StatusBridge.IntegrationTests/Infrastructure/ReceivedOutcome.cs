using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>One outcome event as a subscriber received it.</summary>
public sealed record ReceivedOutcome(string RequestId, Guid? MessageId, RequestCompleted? Completed, RequestFailed? Failed);
