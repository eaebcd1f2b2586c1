namespace Bria.StatusBridge.Webhooks;

/// <summary>An operator event claimed for publishing.</summary>
internal sealed record PendingOperatorEvent(Guid MessageId, string MessageType, string PayloadJson, int Attempts);
