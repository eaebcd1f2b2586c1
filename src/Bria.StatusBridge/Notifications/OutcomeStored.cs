namespace Bria.StatusBridge.Notifications;

/// <summary>A terminal outcome (or a late or cancelled subscriber's notification) was committed for
/// <see cref="RequestId"/>, with its outbox events and webhook messages.</summary>
internal sealed record OutcomeStored(string RequestId);
