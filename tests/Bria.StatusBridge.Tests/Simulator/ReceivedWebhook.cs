namespace Bria.StatusBridge.Tests.Simulator;

/// <summary>One POST a <see cref="WebhookReceiver"/> got: Bria's three headers and the raw body.</summary>
internal sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string? ContentType, byte[] Body);
