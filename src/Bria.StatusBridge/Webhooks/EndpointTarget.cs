namespace Bria.StatusBridge.Webhooks;

/// <summary>An enabled endpoint as a destination for an outcome's messages: where, and for which event types.</summary>
internal sealed record EndpointTarget(string EndpointId, string Url, string EventTypes);
